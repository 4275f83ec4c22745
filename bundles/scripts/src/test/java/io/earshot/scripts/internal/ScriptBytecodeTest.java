package io.earshot.scripts.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import javax.tools.FileObject;
import javax.tools.ForwardingJavaFileManager;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

import org.junit.Test;

import io.earshot.scripts.runtime.ScriptActivator;

public class ScriptBytecodeTest {

    private static final String SPINNER = String.join("\n",
            "package demo;",
            "public class Spinner implements Runnable {",
            "    public volatile long turns;",
            "    public void run() {",
            "        for (;;) { try { turns++; } catch (RuntimeException e) { } }",
            "    }",
            "    @org.osgi.service.component.annotations.Deactivate",
            "    void deactivate() { }",
            "    public java.util.List<String> names() { return java.util.List.of(io.earshot.api.AudioListener.NAME); }",
            "}");

    /** Compiles one source with the test's class path. */
    private static byte[] compile(String className, String source) {
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        ByteArrayOutputStream classFile = new ByteArrayOutputStream();
        StandardJavaFileManager standard = compiler.getStandardFileManager(null, null, null);
        ForwardingJavaFileManager<StandardJavaFileManager> files = new ForwardingJavaFileManager<>(standard) {
            @Override
            public JavaFileObject getJavaFileForOutput(Location location, String name, JavaFileObject.Kind kind, FileObject sibling) {
                return new SimpleJavaFileObject(URI.create("memory:///" + name + ".class"), kind) {
                    @Override
                    public OutputStream openOutputStream() {
                        return classFile;
                    }
                };
            }
        };
        JavaFileObject unit = new SimpleJavaFileObject(URI.create("string:///" + className.replace('.', '/') + ".java"),
                JavaFileObject.Kind.SOURCE) {
            @Override
            public CharSequence getCharContent(boolean ignoreEncodingErrors) {
                return source;
            }
        };
        assertTrue(compiler.getTask(null, files, null, List.of("-classpath", System.getProperty("java.class.path")), null,
                List.of(unit)).call());
        return classFile.toByteArray();
    }

    private static Class<?> define(String name, byte[] bytes) throws ClassNotFoundException {
        return new ClassLoader(ScriptBytecodeTest.class.getClassLoader()) {
            @Override
            protected Class<?> findClass(String wanted) throws ClassNotFoundException {
                if (!wanted.equals(name)) throw new ClassNotFoundException(wanted);
                return defineClass(name, bytes, 0, bytes.length);
            }
        }.loadClass(name);
    }

    @Test
    public void anEndlessLoopEndsWhenItsRunIsMarkedStopped() throws Exception {
        int runId = 4242;
        ScriptBytecode bytecode = new ScriptBytecode();
        Runnable spinner = (Runnable) define("demo.Spinner", bytecode.instrument(compile("demo.Spinner", SPINNER), runId))
                .getConstructor().newInstance();
        ScriptActivator.markStopped(runId, false);
        CompletableFuture<Throwable> ended = new CompletableFuture<>();
        Thread thread = new Thread(() -> {
            try {
                spinner.run();
                ended.complete(null);
            } catch (Throwable t) {
                ended.complete(t);
            }
        });
        thread.setDaemon(true);
        thread.start();
        long turns = (long) spinner.getClass().getField("turns").get(spinner);
        while (turns < 1_000_000) turns = (long) spinner.getClass().getField("turns").get(spinner);
        assertFalse("a loop of another run goes on", ended.isDone());
        ScriptActivator.markStopped(runId + 1, true);
        Thread.sleep(50);
        assertFalse("a loop of another run goes on", ended.isDone());
        ScriptActivator.markStopped(runId, true);
        Throwable thrown = ended.get(10, TimeUnit.SECONDS);
        assertEquals(ScriptActivator.Stopped.class, thrown.getClass());
        ScriptActivator.markStopped(runId, false);
        ScriptActivator.markStopped(runId + 1, false);
    }

    @Test
    public void itFindsTheDeactivateMethodAndThePackagesToImport() throws Exception {
        ScriptBytecode bytecode = new ScriptBytecode();
        bytecode.instrument(compile("demo.Spinner", SPINNER), 1);
        assertEquals("deactivate", bytecode.deactivateMethod);
        assertTrue(bytecode.packages.toString(), bytecode.packages.containsAll(List.of("java.util",
                "java.lang", "demo")));
        // a constant is inlined by the compiler: nothing of io.earshot.api is left to import
        assertFalse(bytecode.packages.toString(), bytecode.packages.contains("io.earshot.api"));
    }

    @Test
    public void findsTheCallsThatEndTheRuntimeWithTheirLines() {
        byte[] quitter = compile("demo.Quitter", String.join("\n",
                "package demo;",
                "public class Quitter {",
                "    public Quitter() {",
                "        System.exit(1);",
                "    }",
                "    void later() {",
                "        java.util.function.IntConsumer halt = Runtime.getRuntime()::halt;",
                "        Runtime.getRuntime().exit(2);",
                "    }",
                "}"));
        assertEquals(List.of(new ScriptBytecode.ExitCall(4, "System.exit"), new ScriptBytecode.ExitCall(7, "Runtime.halt"),
                new ScriptBytecode.ExitCall(8, "Runtime.exit")), ScriptBytecode.exitCalls(quitter));
        assertEquals(List.of(), ScriptBytecode.exitCalls(compile("demo.Spinner", SPINNER)));
    }
}
