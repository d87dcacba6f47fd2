import java.io.IOException;
import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassFileVersion;
import java.lang.classfile.ClassHierarchyResolver;
import java.lang.classfile.ClassModel;
import java.lang.classfile.ClassTransform;
import java.lang.classfile.CodeTransform;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Enumeration;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;

/**
 * Build step (run by `mvn package` in training-runner, as a single-file program): rewrites the class files of the
 * named jars in target/lib that are older than Java 6 (major version 50) as version 52, with the stack maps the
 * JDK's ClassFile API computes. Why: a JDK 25 AOT cache leaves pre-50 classes out ("Old class has been linked"),
 * and picocli 4.7 is compiled for Java 5, so each command loaded and verified ~190 picocli classes (and every class
 * implementing its interfaces) at start-up; upgraded, they come from the cache, linked (docs/benchmarks.md: about
 * 80 ms of every command). The bytecode itself is unchanged; only the version and the StackMapTable are new, and the
 * JVM verifies the result with the type-checking verifier (UpgradedPicocliTest runs the CLI on the upgraded jar).
 *
 * <p>Usage: java UpgradeClassFiles.java JAR...   (each JAR is rewritten in place; a jar with no old class is left alone)
 */
public final class UpgradeClassFiles {

    private UpgradeClassFiles() {
    }

    public static void main(String[] args) throws IOException {
        for (String arg : args) {
            Path jar = Path.of(arg);
            int upgraded = upgrade(jar);
            System.out.println("UpgradeClassFiles: " + jar.getFileName() + ": " + upgraded + " class files upgraded to version 52");
        }
    }

    /** Rewrites {@code jar} in place; returns how many class files were upgraded. */
    static int upgrade(Path jar) throws IOException {
        Path tmp = Files.createTempFile(jar.getParent(), jar.getFileName().toString(), ".tmp");
        int upgraded = 0;
        try (URLClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL()}, null);
             JarFile in = new JarFile(jar.toFile());
             JarOutputStream out = new JarOutputStream(Files.newOutputStream(tmp))) {
            // stack maps need the common super class of two types: from the JDK, else from this jar's classes
            ClassFile cf = ClassFile.of(ClassFile.StackMapsOption.GENERATE_STACK_MAPS,
                    ClassFile.ClassHierarchyResolverOption.of(ClassHierarchyResolver.defaultResolver()
                            .orElse(ClassHierarchyResolver.ofResourceParsing(loader))));
            for (Enumeration<JarEntry> e = in.entries(); e.hasMoreElements(); ) {
                JarEntry entry = e.nextElement();
                byte[] bytes = in.getInputStream(entry).readAllBytes();
                if (entry.getName().endsWith(".class") && !entry.getName().endsWith("module-info.class")) {
                    ClassModel model = cf.parse(bytes);
                    if (model.majorVersion() < ClassFile.JAVA_6_VERSION) {
                        bytes = cf.transformClass(model, ClassTransform.dropping(el -> el instanceof ClassFileVersion)
                                .andThen(ClassTransform.endHandler(b -> b.withVersion(ClassFile.JAVA_8_VERSION, 0)))
                                // rebuilding each method body is what makes the API compute its stack map frames
                                .andThen(ClassTransform.transformingMethodBodies(CodeTransform.ACCEPT_ALL)));
                        upgraded++;
                    }
                }
                JarEntry copy = new JarEntry(entry.getName());
                copy.setTime(entry.getTime()); // reproducible: same input, same jar
                out.putNextEntry(copy);
                out.write(bytes);
                out.closeEntry();
            }
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        if (upgraded > 0) {
            Files.move(tmp, jar, StandardCopyOption.REPLACE_EXISTING);
        } else {
            Files.delete(tmp);
        }
        return upgraded;
    }
}
