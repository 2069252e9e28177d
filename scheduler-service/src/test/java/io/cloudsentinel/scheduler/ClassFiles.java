package io.cloudsentinel.scheduler;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The compiled classes of the service, read as bytes: a class file names every type and method it uses in its
 * constant pool ({@code io/cloudsentinel/scheduler/service/Sweeper}, {@code asSystem}), so a layering rule can be
 * checked without a library and without booting anything.
 */
final class ClassFiles {

    private ClassFiles() {
    }

    /** The constant pool and the rest of the class file as text; type names appear in their internal form. */
    static String of(Class<?> type) {
        try (InputStream in = type.getResourceAsStream(type.getSimpleName() + ".class")) {
            return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every class file of a main package (nested and anonymous classes included), e.g. {@code config}. */
    static List<Path> inPackage(String subpackage) {
        try {
            Path classes = Path.of(TierPolicy.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            Path dir = classes.resolve("io/cloudsentinel/scheduler").resolve(subpackage);
            try (Stream<Path> files = Files.list(dir)) {
                return files.filter(file -> file.toString().endsWith(".class")).sorted().toList();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static String read(Path classFile) {
        try {
            return new String(Files.readAllBytes(classFile), StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
