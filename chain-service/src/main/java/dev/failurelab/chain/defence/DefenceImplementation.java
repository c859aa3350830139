package dev.failurelab.chain.defence;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;

/**
 * A defence's implementation named by a property: {@value #REFERENCE} (the project's own), or the
 * class a participant wrote in the exercises module ({@code chain.retry.budget-implementation},
 * {@code chain.cache.lock.implementation}). The class is loaded and checked once, at start, and
 * every refusal names the property and says what is missing.
 *
 * @param <T> the defence's interface
 */
public final class DefenceImplementation<T> {

    /** The name of the project's own implementation. */
    public static final String REFERENCE = "reference";

    private final String className;
    private final Constructor<? extends T> constructor;

    private DefenceImplementation(String className, Constructor<? extends T> constructor) {
        this.className = className;
        this.constructor = constructor;
    }

    /** Whether {@code implementation} names the project's own ({@value #REFERENCE}, or nothing). */
    public static boolean isReference(String implementation) {
        return implementation == null || implementation.isBlank() || REFERENCE.equals(implementation.trim());
    }

    /**
     * Loads {@code className}, which must implement {@code type} with a public constructor taking
     * {@code parameters}.
     *
     * @param property  the property that named it, for the messages
     * @param signature the constructor as the participant writes it, for the messages
     * @throws IllegalArgumentException naming {@code property} and what is missing
     */
    public static <T> DefenceImplementation<T> load(String property, String className, Class<T> type,
            String signature, Class<?>... parameters) {
        Class<?> loaded;
        try {
            loaded = Class.forName(className.trim(), true, type.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalArgumentException(property + ": no class " + className
                    + " on the classpath (is the exercises module built?)");
        }
        if (!type.isAssignableFrom(loaded)) {
            throw new IllegalArgumentException(property + ": " + className + " does not implement " + type.getName());
        }
        try {
            return new DefenceImplementation<>(className, loaded.asSubclass(type).getConstructor(parameters));
        } catch (NoSuchMethodException e) {
            throw new IllegalArgumentException(property + ": " + className + " needs a public constructor " + signature);
        }
    }

    /** A new instance; what its constructor throws (a bad argument) is thrown as is. */
    public T create(Object... arguments) {
        try {
            return constructor.newInstance(arguments);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException(className + " failed to start", e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot create " + className, e);
        }
    }
}
