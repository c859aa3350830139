package dev.failurelab.chain.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.failurelab.contract.Defences;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.context.annotation.Import;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;

/**
 * Every admin controller the management port serves ({@link ManagementEndpoints}'s imports) maps each
 * method and path once: two controllers on one path (the router's view and a lab's fault, say) would
 * leave one of them unreachable without an error. And no switchable defence's {@code /admin/<id>} is
 * shadowed by a controller's literal path.
 */
class AdminPathsAreUniqueTest {

    @Test
    void everyAdminPathIsMappedOnce_andNoDefenceIsShadowed() {
        Map<String, String> owners = new HashMap<>();
        List<String> clashes = new ArrayList<>();
        List<String> literals = new ArrayList<>();
        for (Class<?> controller : ManagementEndpoints.class.getAnnotation(Import.class).value()) {
            for (Method method : controller.getDeclaredMethods()) {
                for (String mapping : mappings(method)) {
                    String where = controller.getSimpleName() + "." + method.getName();
                    String previous = owners.putIfAbsent(mapping, where);
                    if (previous != null && !previous.startsWith(controller.getSimpleName() + ".")) {
                        clashes.add(mapping + ": " + previous + " and " + where);
                    }
                    String path = mapping.substring(mapping.indexOf(' ') + 1);
                    if (!path.contains("{")) {
                        literals.add(path);
                    }
                }
            }
        }
        assertThat(owners).as("admin mappings found").hasSizeGreaterThan(20);
        assertThat(clashes).as("a method and path mapped by two controllers").isEmpty();
        for (String literal : literals) {
            String last = literal.substring(literal.lastIndexOf('/') + 1);
            assertThat(Defences.byId(last)).as(literal + " shadows the switchable defence " + last + "'s /admin/" + last)
                    .isEmpty();
        }
    }

    private static List<String> mappings(Method method) {
        List<String> found = new ArrayList<>();
        GetMapping get = method.getAnnotation(GetMapping.class);
        if (get != null) {
            for (String path : get.value()) {
                found.add("GET " + path);
            }
        }
        PutMapping put = method.getAnnotation(PutMapping.class);
        if (put != null) {
            for (String path : put.value()) {
                found.add("PUT " + path);
            }
        }
        PostMapping post = method.getAnnotation(PostMapping.class);
        if (post != null) {
            for (String path : post.value()) {
                found.add("POST " + path);
            }
        }
        DeleteMapping delete = method.getAnnotation(DeleteMapping.class);
        if (delete != null) {
            for (String path : delete.value()) {
                found.add("DELETE " + path);
            }
        }
        return found;
    }
}
