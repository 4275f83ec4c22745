package io.earshot.scripts.runtime;

import java.lang.annotation.Annotation;
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Hashtable;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.Supplier;

import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;

import io.earshot.api.AudioListener;
import io.earshot.api.status.ListenerStats;
import io.earshot.api.Dashboard;
import io.earshot.api.Recorder;
import io.earshot.api.StreamControl;

/**
 * The activator of every script bundle. It makes the script's public class with what its public
 * constructor asks for, like Declarative Services would for a plugin: {@link Dashboard} (the script
 * bundle's own, so its handlers go when the script stops), {@link StreamControl}, {@link Recorder},
 * the script's {@link BundleContext}, and configuration annotations ({@code @ObjectClassDefinition}),
 * which a script gets with their defaults. The object is registered under every interface of the
 * plugin API it implements ({@link AudioListener} under the name {@code script:NAME}). On stop its
 * {@code @Deactivate} method runs.
 */
public final class ScriptActivator implements BundleActivator {

    public static final String CLASS_HEADER = "Earshot-Script-Class";
    public static final String NAME_HEADER = "Earshot-Script-Name";
    public static final String ID_HEADER = "Earshot-Script-Id";
    public static final String DEACTIVATE_HEADER = "Earshot-Script-Deactivate";

    /** Stop flags of script runs, one bit per run id (ids wrap at this many). */
    public static final int MAX_RUN_IDS = 1 << 16;
    private static final AtomicLongArray STOPPED = new AtomicLongArray(MAX_RUN_IDS / 64);
    private static final String API_PACKAGE = AudioListener.class.getPackageName();

    private Object script;
    private String name;

    /** The name a script's listener runs under, and its console lines are attributed to. */
    public static String listenerName(String script) {
        return "script:" + script;
    }

    /**
     * Inserted by the executor before every backward jump of a script's code: a loop that never
     * ends still ends when its script is stopped. One volatile read while the script runs.
     */
    public static void checkpoint(int runId) {
        if ((STOPPED.get(runId >>> 6) & (1L << runId)) != 0) {
            throw new Stopped();
        }
    }

    /** For the executor: marks a run stopped (its code throws {@link Stopped} at its next loop turn) or clears the mark. */
    public static void markStopped(int runId, boolean stopped) {
        long bit = 1L << runId;
        STOPPED.getAndUpdate(runId >>> 6, word -> stopped ? word | bit : word & ~bit);
    }

    /** Thrown inside a stopped script's code; an {@link Error}, so a script's {@code catch (Exception e)} lets it pass. */
    public static final class Stopped extends Error {
        private static final long serialVersionUID = 1L;

        Stopped() {
            super("the script was stopped", null, false, false);
        }
    }

    @Override
    public void start(BundleContext context) throws Exception {
        String className = context.getBundle().getHeaders().get(CLASS_HEADER);
        name = context.getBundle().getHeaders().get(NAME_HEADER);
        Class<?> type = context.getBundle().loadClass(className);
        Constructor<?>[] constructors = type.getConstructors();
        if (constructors.length != 1) {
            throw new IllegalStateException("the script's class " + type.getSimpleName() + " needs exactly one public constructor; it has "
                    + constructors.length);
        }
        Constructor<?> constructor = constructors[0];
        Class<?>[] parameters = constructor.getParameterTypes();
        Object[] arguments = new Object[parameters.length];
        for (int i = 0; i < parameters.length; i++) {
            arguments[i] = argument(context, type, parameters[i]);
        }
        script = asScript(() -> {
            try {
                return constructor.newInstance(arguments);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e.getCause() != null ? e.getCause() : e);
            }
        });
        Hashtable<String, Object> properties = new Hashtable<>();
        properties.put(AudioListener.NAME, listenerName(name));
        List<String> services = new ArrayList<>();
        for (Class<?> api : apiInterfaces(type)) services.add(api.getName());
        if (!services.isEmpty()) {
            context.registerService(services.toArray(String[]::new), script, properties);
        }
    }

    private static Object argument(BundleContext context, Class<?> script, Class<?> parameter) {
        if (parameter == BundleContext.class) {
            return context;
        }
        if (parameter.isAnnotation()) {
            return defaults(parameter);
        }
        if (parameter != Dashboard.class && parameter != StreamControl.class && parameter != Recorder.class) {
            throw new IllegalStateException("the constructor of " + script.getSimpleName() + " asks for " + parameter.getName()
                    + "; a script can be given Dashboard, StreamControl, Recorder, BundleContext and configuration annotations");
        }
        ServiceReference<?> reference = context.getServiceReference(parameter);
        if (reference == null) {
            throw new IllegalStateException(parameter.getSimpleName() + " is not available in this runtime");
        }
        return context.getService(reference);
    }

    /** A configuration annotation answering its defaults: a script's configuration is in its source. */
    private static Object defaults(Class<?> annotation) {
        for (Method attribute : annotation.getDeclaredMethods()) {
            if (attribute.getDefaultValue() == null) {
                throw new IllegalStateException("the configuration " + annotation.getSimpleName() + "." + attribute.getName()
                        + "() has no default; a script is configured by the defaults in its source");
            }
        }
        return Proxy.newProxyInstance(annotation.getClassLoader(), new Class<?>[] {annotation}, (proxy, method, args) -> {
            switch (method.getName()) {
                case "annotationType":
                    return annotation;
                case "toString":
                    return "@" + annotation.getSimpleName() + " (defaults)";
                case "hashCode":
                    return System.identityHashCode(proxy);
                case "equals":
                    return proxy == args[0];
                default:
                    return method.getDefaultValue();
            }
        });
    }

    private static Set<Class<?>> apiInterfaces(Class<?> type) {
        Set<Class<?>> found = new LinkedHashSet<>();
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            for (Class<?> i : c.getInterfaces()) {
                if (i.getPackageName().equals(API_PACKAGE) && !Annotation.class.isAssignableFrom(i)) found.add(i);
            }
        }
        return found;
    }

    @Override
    public void stop(BundleContext context) throws Exception {
        String deactivate = context.getBundle().getHeaders().get(DEACTIVATE_HEADER);
        Object stopping = script;
        script = null;
        if (stopping == null) {
            return;
        }
        asScript(() -> {
            try {
                if (deactivate != null) {
                    Method method = stopping.getClass().getDeclaredMethod(deactivate);
                    method.setAccessible(true);
                    method.invoke(stopping);
                } else if (stopping instanceof AutoCloseable closeable) {
                    closeable.close();
                }
            } catch (Exception e) {
                throw new IllegalStateException("the script's " + (deactivate != null ? deactivate + "()" : "close()") + " failed: "
                        + (e.getCause() != null ? e.getCause() : e), e);
            }
            return null;
        });
    }

    /**
     * Runs the script's own code (constructor, deactivate) under its listener thread's name, so
     * what it prints there is attributed to it in the console like what it prints per buffer.
     */
    private <T> T asScript(Supplier<T> code) {
        Thread thread = Thread.currentThread();
        String before = thread.getName();
        thread.setName(ListenerStats.THREAD_PREFIX + listenerName(name));
        try {
            return code.get();
        } finally {
            thread.setName(before);
        }
    }
}
