package io.earshot.containment.guard;

import java.io.InputStream;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Method;
import java.util.Optional;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleException;
import org.osgi.framework.FrameworkListener;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.startlevel.FrameworkStartLevel;

/**
 * The calls of plugin and script classes that could end the runtime, as the containment bundle's
 * weaving hook rewrites them at class load: {@code System.exit}, {@code Runtime.exit} and
 * {@code Runtime.halt} (called directly, as method references, by reflection or through method
 * handles) are refused with a {@link SecurityException}; stopping, updating or uninstalling the
 * system bundle and lowering the framework's start level likewise; the same calls on anything
 * else go through. Every refusal is reported to the witness the containment bundle sets.
 * Static because woven bytecode can only reach a static method.
 */
public final class ExitGuard {

    /** Receives every refused call. */
    public interface Witness {
        /**
         * @param caller the class that made the call
         * @param call what it called, e.g. {@code System.exit(3)}
         * @param where the calling frame
         */
        void refused(Class<?> caller, String call, StackTraceElement where);
    }

    private static final StackWalker WALKER = StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE);
    private static volatile Witness witness;

    private ExitGuard() {
    }

    /** Sets who hears of refusals; only the containment bundle itself may. */
    public static void witness(Witness newWitness) {
        Bundle caller = FrameworkUtil.getBundle(WALKER.getCallerClass());
        if (caller == null || caller != FrameworkUtil.getBundle(ExitGuard.class)) {
            throw new SecurityException("only the containment bundle sets the exit guard's witness");
        }
        witness = newWitness;
    }

    public static void systemExit(int status) {
        throw refuse("System.exit(" + status + ")");
    }

    public static void runtimeExit(Runtime runtime, int status) {
        throw refuse("Runtime.exit(" + status + ")");
    }

    public static void runtimeHalt(Runtime runtime, int status) {
        throw refuse("Runtime.halt(" + status + ")");
    }

    public static void bundleStop(Bundle bundle) throws BundleException {
        framework(bundle, "stop");
        bundle.stop();
    }

    public static void bundleStop(Bundle bundle, int options) throws BundleException {
        framework(bundle, "stop");
        bundle.stop(options);
    }

    public static void bundleUpdate(Bundle bundle) throws BundleException {
        framework(bundle, "update");
        bundle.update();
    }

    public static void bundleUpdate(Bundle bundle, InputStream input) throws BundleException {
        framework(bundle, "update");
        bundle.update(input);
    }

    public static void bundleUninstall(Bundle bundle) throws BundleException {
        framework(bundle, "uninstall");
        bundle.uninstall();
    }

    public static void setStartLevel(FrameworkStartLevel startLevel, int level, FrameworkListener... listeners) {
        if (level < startLevel.getStartLevel()) {
            throw refuse("FrameworkStartLevel.setStartLevel(" + level + ") (it stops the bundles above it)");
        }
        startLevel.setStartLevel(level, listeners);
    }

    /** Inserted before {@code Method.invoke}: the invoke itself stays in the caller's frame. */
    public static void checkInvoke(Method method) {
        if (ends(method.getDeclaringClass(), method.getName())) {
            throw refuse(method.getDeclaringClass().getSimpleName() + "." + method.getName() + " by reflection");
        }
    }

    public static MethodHandle findStatic(MethodHandles.Lookup lookup, Class<?> owner, String name, MethodType type)
            throws NoSuchMethodException, IllegalAccessException {
        if (ends(owner, name)) {
            throw refuse(owner.getSimpleName() + "." + name + " through a method handle");
        }
        return lookup.findStatic(owner, name, type);
    }

    public static MethodHandle findVirtual(MethodHandles.Lookup lookup, Class<?> owner, String name, MethodType type)
            throws NoSuchMethodException, IllegalAccessException {
        if (ends(owner, name)) {
            throw refuse(owner.getSimpleName() + "." + name + " through a method handle");
        }
        return lookup.findVirtual(owner, name, type);
    }

    public static MethodHandle unreflect(MethodHandles.Lookup lookup, Method method) throws IllegalAccessException {
        checkInvoke(method);
        return lookup.unreflect(method);
    }

    private static boolean ends(Class<?> owner, String name) {
        return owner == System.class && name.equals("exit")
                || owner == Runtime.class && (name.equals("exit") || name.equals("halt"));
    }

    private static void framework(Bundle bundle, String what) {
        if (bundle.getBundleId() == 0) {
            throw refuse(what + " of the system bundle (it ends the runtime)");
        }
    }

    private static SecurityException refuse(String call) {
        Optional<StackWalker.StackFrame> frame = WALKER.walk(frames -> frames
                .filter(f -> f.getDeclaringClass() != ExitGuard.class).findFirst());
        Witness current = witness;
        if (current != null && frame.isPresent()) {
            try {
                current.refused(frame.get().getDeclaringClass(), call, frame.get().toStackTraceElement());
            } catch (RuntimeException reportFailed) {
                // the refusal matters more than its report
            }
        }
        return new SecurityException(call + " refused: plugins and scripts cannot end the Earshot runtime"
                + " (stop the plugin instead: the Plugins tab, or POST /api/plugins/ID/stop)");
    }
}
