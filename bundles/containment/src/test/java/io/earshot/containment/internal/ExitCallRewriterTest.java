package io.earshot.containment.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;

import org.junit.BeforeClass;
import org.junit.Test;

public class ExitCallRewriterTest {

    private static Class<?> rewritten;

    @BeforeClass
    public static void rewrite() throws Exception {
        byte[] original = classFile(ExitCalls.class);
        byte[] bytes = ExitCallRewriter.rewrite(original);
        assertNotNull("ExitCalls calls System.exit: it must be rewritten", bytes);
        rewritten = new ClassLoader(ExitCallRewriterTest.class.getClassLoader()) {
            @Override
            protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
                if (name.equals(ExitCalls.class.getName())) {
                    synchronized (getClassLoadingLock(name)) {
                        Class<?> loaded = findLoadedClass(name);
                        return loaded != null ? loaded : defineClass(name, bytes, 0, bytes.length);
                    }
                }
                return super.loadClass(name, resolve);
            }
        }.loadClass(ExitCalls.class.getName());
    }

    private static byte[] classFile(Class<?> type) throws IOException {
        try (InputStream in = type.getResourceAsStream(type.getSimpleName() + ".class")) {
            return in.readAllBytes();
        }
    }

    private static void assertRefused(String method, String call) throws Exception {
        Method m = rewritten.getMethod(method);
        try {
            m.invoke(null);
            fail(method + " returned: the runtime would have ended");
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            assertTrue(method + " threw " + cause, cause instanceof SecurityException);
            assertTrue(cause.getMessage(), cause.getMessage().startsWith(call + " refused"));
        }
    }

    @Test
    public void directCallsAreRefused() throws Exception {
        assertRefused("direct", "System.exit(3)");
        assertRefused("runtimeExit", "Runtime.exit(4)");
    }

    @Test
    public void methodReferencesAreRefused() throws Exception {
        assertRefused("haltByReference", "Runtime.halt(5)");
        assertRefused("exitByReference", "System.exit(6)");
    }

    @Test
    public void reflectionAndMethodHandlesAreRefused() throws Exception {
        assertRefused("reflection", "System.exit by reflection");
        assertRefused("methodHandle", "System.exit through a method handle");
    }

    @Test
    public void otherReflectionStillWorks() throws Exception {
        assertEquals(91, rewritten.getMethod("harmless").invoke(null));
    }

    @Test
    public void aClassWithoutSuchCallsIsLeftAlone() throws Exception {
        assertNull(ExitCallRewriter.rewrite(classFile(Contained.class)));
    }
}
