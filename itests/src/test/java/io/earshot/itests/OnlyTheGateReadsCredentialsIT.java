package io.earshot.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarInputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import org.junit.Test;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * Every Earshot bundle of the runtime, read as bytecode: outside the access bundle (the gate),
 * no code reads credentials from a request, i.e. no call such as {@code getHeader("Authorization")},
 * {@code getParameter("token")} or {@code getParameterMap().get("token")}. Endpoints ask the
 * gate's verdict instead.
 */
public class OnlyTheGateReadsCredentialsIT {

    private static final Set<String> CREDENTIALS = Set.of("authorization", "token");
    private static final Set<String> READS = Set.of("getHeader", "getHeaders", "getParameter", "getParameterValues", "getParameterMap");

    @Test
    public void noEndpointOutsideTheGateReadsTheTokenOrTheAuthorizationHeader() throws IOException {
        Path runtime = Paths.get(System.getProperty("earshot.runtime.jar"));
        List<String> offenders = new ArrayList<>();
        int bundles = 0, classes = 0;
        try (ZipInputStream launcher = new ZipInputStream(java.nio.file.Files.newInputStream(runtime))) {
            for (ZipEntry entry; (entry = launcher.getNextEntry()) != null; ) {
                String name = entry.getName();
                if (!name.startsWith("jar/io.earshot.") || !name.endsWith(".jar") || name.startsWith("jar/io.earshot.access")) {
                    continue;
                }
                bundles++;
                JarInputStream bundle = new JarInputStream(launcher);
                for (JarEntry file; (file = bundle.getNextJarEntry()) != null; ) {
                    if (file.getName().endsWith(".class")) {
                        classes++;
                        offenders.addAll(readsOfCredentials(name, bundle));
                    }
                }
            }
        }
        assertTrue("the runtime's bundles were found: " + bundles, bundles > 15 && classes > 100);
        assertEquals("code outside the access gate reading credentials from requests", List.of(), offenders);
    }

    /** Calls of a request's header or parameter readers right after the constant "Authorization" or "token". */
    private static List<String> readsOfCredentials(String bundle, InputStream classFile) throws IOException {
        List<String> found = new ArrayList<>();
        ClassReader reader = new ClassReader(classFile.readAllBytes());
        reader.accept(new ClassVisitor(Opcodes.ASM9) {
            @Override
            public MethodVisitor visitMethod(int access, String method, String descriptor, String signature, String[] exceptions) {
                return new MethodVisitor(Opcodes.ASM9) {
                    private String lastConstant;
                    private boolean parameterMap;

                    @Override
                    public void visitLdcInsn(Object value) {
                        lastConstant = value instanceof String text ? text.toLowerCase() : null;
                    }

                    @Override
                    public void visitMethodInsn(int opcode, String owner, String name, String desc, boolean isInterface) {
                        String where = bundle + " " + reader.getClassName() + "." + method + ": ";
                        boolean credential = lastConstant != null && CREDENTIALS.contains(lastConstant);
                        if (READS.contains(name) && credential && !owner.startsWith("com/fasterxml/")) {
                            found.add(where + owner + "." + name + "(\"" + lastConstant + "\")");
                        }
                        if (name.equals("get") && owner.equals("java/util/Map") && parameterMap && credential) {
                            found.add(where + "getParameterMap().get(\"" + lastConstant + "\")");
                        }
                        parameterMap = name.equals("getParameterMap") || (parameterMap && !name.equals("get"));
                        lastConstant = null;
                    }
                };
            }
        }, ClassReader.SKIP_DEBUG);
        return found;
    }
}
