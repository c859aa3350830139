package dev.failurelab.fault.control;

import dev.failurelab.fault.rule.InvalidInputException;

/** A control-API path names something that does not exist: answered 404. */
class NotFoundException extends InvalidInputException {

    NotFoundException(String field, String message) {
        super(field, message);
    }
}
