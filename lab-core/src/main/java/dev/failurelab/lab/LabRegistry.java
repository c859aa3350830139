package dev.failurelab.lab;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;

/**
 * Every {@link Lab} on the classpath, found with {@link ServiceLoader} (each lab module lists its
 * class in {@code META-INF/services/dev.failurelab.lab.Lab}), sorted by name.
 *
 * <p>Thread-safe: immutable once loaded.
 */
public final class LabRegistry {

    private final List<Lab> labs;

    private LabRegistry(List<Lab> labs) {
        this.labs = List.copyOf(labs);
    }

    /** The labs on this class loader's classpath. */
    public static LabRegistry load() {
        List<Lab> labs = new ArrayList<>();
        ServiceLoader.load(Lab.class).forEach(labs::add);
        labs.sort(Comparator.comparing(Lab::name));
        for (int i = 1; i < labs.size(); i++) {
            if (labs.get(i).name().equals(labs.get(i - 1).name())) {
                throw new IllegalStateException("two labs are named " + labs.get(i).name());
            }
        }
        return new LabRegistry(labs);
    }

    public List<Lab> all() {
        return labs;
    }

    public List<String> names() {
        return labs.stream().map(Lab::name).toList();
    }

    public Optional<Lab> find(String name) {
        return labs.stream().filter(lab -> lab.name().equals(name)).findFirst();
    }

    /**
     * The lab named {@code name}.
     *
     * @throws IllegalArgumentException naming the labs there are
     */
    public Lab get(String name) {
        return find(name).orElseThrow(() -> new IllegalArgumentException("unknown lab '" + name + "'; available: "
                + String.join(", ", names())));
    }
}
