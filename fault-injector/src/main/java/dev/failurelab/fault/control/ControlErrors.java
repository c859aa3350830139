package dev.failurelab.fault.control;

import dev.failurelab.fault.rule.InvalidInputException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.server.ServerWebInputException;

/** Turns bad input into a JSON error naming the field; never a stack trace. */
@RestControllerAdvice
class ControlErrors {

    record ErrorBody(String error, String field, String message) {
    }

    @ExceptionHandler(NotFoundException.class)
    ResponseEntity<ErrorBody> notFound(NotFoundException e) {
        return ResponseEntity.status(HttpStatus.NOT_FOUND).body(new ErrorBody("not_found", e.field(), e.getMessage()));
    }

    @ExceptionHandler(InvalidInputException.class)
    ResponseEntity<ErrorBody> invalid(InvalidInputException e) {
        return ResponseEntity.badRequest().body(new ErrorBody("bad_request", e.field(), e.getMessage()));
    }

    @ExceptionHandler(ServerWebInputException.class)
    ResponseEntity<ErrorBody> unreadable(ServerWebInputException e) {
        return ResponseEntity.badRequest().body(new ErrorBody("bad_request", "body", e.getReason()));
    }
}
