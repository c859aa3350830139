package dev.failurelab.exercise;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * Where each lab's exercise plugs the participant's code into the topology:
 * {@code exercises/<lab>.properties} on the classpath, {@code <app>.<property>=<value>} lines
 * (for example the class of the retry budget the edge and the middle run). {@code ./lab up --exercise LAB}
 * applies them.
 */
public final class Exercises {

    private Exercises() {
    }

    /**
     * The properties {@code lab}'s exercise sets, by app.
     *
     * @throws IllegalArgumentException if the lab has no exercise
     */
    public static Map<String, Map<String, String>> properties(String lab) {
        String resource = "/exercises/" + lab + ".properties";
        Properties properties = new Properties();
        try (InputStream in = Exercises.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalArgumentException("no exercise for '" + lab + "' (exercises/src/main/resources" + resource
                        + ")");
            }
            properties.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, Map<String, String>> byApp = new TreeMap<>();
        properties.forEach((key, value) -> {
            String name = key.toString().trim();
            int dot = name.indexOf('.');
            if (dot < 1) {
                throw new IllegalArgumentException(resource + ": '" + name + "' is not <app>.<property>");
            }
            byApp.computeIfAbsent(name.substring(0, dot), app -> new TreeMap<>())
                    .put(name.substring(dot + 1), value.toString().trim());
        });
        return byApp;
    }
}
