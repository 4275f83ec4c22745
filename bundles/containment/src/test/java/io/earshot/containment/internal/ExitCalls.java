package io.earshot.containment.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.function.IntConsumer;

/** What a plugin might do to end the runtime; run only after {@link ExitCallRewriter} rewrote it. */
public final class ExitCalls {

    public static void direct() {
        System.exit(3);
    }

    public static void runtimeExit() {
        Runtime.getRuntime().exit(4);
    }

    public static void haltByReference() {
        IntConsumer halt = Runtime.getRuntime()::halt;
        halt.accept(5);
    }

    public static void exitByReference() {
        IntConsumer exit = System::exit;
        exit.accept(6);
    }

    public static void reflection() throws Exception {
        System.class.getMethod("exit", int.class).invoke(null, 7);
    }

    public static void methodHandle() throws Throwable {
        MethodHandles.lookup().findStatic(System.class, "exit", MethodType.methodType(void.class, int.class)).invokeExact(8);
    }

    /** Reflection and method handles on anything else work as before. */
    public static int harmless() throws Throwable {
        int viaReflection = (Integer) Math.class.getMethod("max", int.class, int.class).invoke(null, 2, 9);
        int viaHandle = (int) MethodHandles.lookup()
                .findStatic(Math.class, "min", MethodType.methodType(int.class, int.class, int.class)).invokeExact(4, 1);
        return viaReflection * 10 + viaHandle;
    }
}
