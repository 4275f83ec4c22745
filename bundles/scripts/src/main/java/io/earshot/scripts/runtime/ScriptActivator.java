package io.earshot.scripts.runtime;

import java.lang.annotation.Annotation;
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.Function;
import java.util.function.Supplier;

import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;
import org.osgi.util.tracker.ServiceTracker;
import org.osgi.util.tracker.ServiceTrackerCustomizer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.earshot.api.AudioListener;
import io.earshot.api.Dashboard;
import io.earshot.api.Recorder;
import io.earshot.api.StreamControl;
import io.earshot.api.status.ListenerStats;

/**
 * The activator of every script bundle. It makes the script's public class with what its public
 * constructor asks for, like Declarative Services would for a plugin: {@link Dashboard} (the script
 * bundle's own, so its handlers go when the script stops), {@link StreamControl}, {@link Recorder},
 * the script's {@link BundleContext}, and configuration annotations ({@code @ObjectClassDefinition}),
 * which a script gets with their defaults. The object is registered under every interface of the
 * plugin API it implements ({@link AudioListener} under the name {@code script:NAME}). On stop its
 * {@code @Deactivate} method runs; so it does when a service it was given goes away (its bundle
 * restarting), and the script is made anew when that service is back.
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
    private static final Logger LOG = LoggerFactory.getLogger(ScriptActivator.class);
    /** The services a script's constructor may ask for. */
    private static final Set<Class<?>> SERVICES = Set.of(Dashboard.class, StreamControl.class, Recorder.class);

    /** Guarded by this object: the script while it runs, its registration, whether the bundle is started. */
    private Object script;
    private ServiceRegistration<?> registration;
    private boolean started;
    private String name;
    private String deactivate;
    private BundleContext context;
    private Class<?> type;
    private Constructor<?> constructor;
    /** One tracker per service the constructor asks for, in its order. */
    private final Map<Class<?>, ServiceTracker<Object, Object>> trackers = new LinkedHashMap<>();

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
        deactivate = context.getBundle().getHeaders().get(DEACTIVATE_HEADER);
        this.context = context;
        type = context.getBundle().loadClass(className);
        Constructor<?>[] constructors = type.getConstructors();
        if (constructors.length != 1) {
            throw new IllegalStateException("the script's class " + type.getSimpleName() + " needs exactly one public constructor; it has "
                    + constructors.length);
        }
        constructor = constructors[0];
        for (Class<?> parameter : constructor.getParameterTypes()) {
            if (parameter != BundleContext.class && !parameter.isAnnotation() && !SERVICES.contains(parameter)) {
                throw new IllegalStateException("the constructor of " + type.getSimpleName() + " asks for " + parameter.getName()
                        + "; a script can be given Dashboard, StreamControl, Recorder, BundleContext and configuration annotations");
            }
            if (SERVICES.contains(parameter) && !trackers.containsKey(parameter)) {
                ServiceTracker<Object, Object> tracker = new ServiceTracker<>(context, parameter.getName(), new Reconsider(context));
                trackers.put(parameter, tracker);
            }
        }
        for (ServiceTracker<Object, Object> tracker : trackers.values()) tracker.open();
        try {
            synchronized (this) {
                // the first making fails the start with its reason, so whoever ran the script learns it
                for (Map.Entry<Class<?>, ServiceTracker<Object, Object>> needed : trackers.entrySet()) {
                    if (needed.getValue().getService() == null) {
                        throw new IllegalStateException(needed.getKey().getSimpleName() + " is not available in this runtime");
                    }
                }
                make(needed -> trackers.get(needed).getService());
                started = true;
            }
        } catch (RuntimeException e) {
            for (ServiceTracker<Object, Object> tracker : trackers.values()) tracker.close();
            throw e;
        }
    }

    /**
     * Makes the script with the services it asks for and registers it. A service it was given
     * going away (its bundle restarting) takes the script down with it; it is made anew when all
     * are back, as Declarative Services does with a plugin's static references.
     */
    private void make(Function<Class<?>, Object> services) {
        Class<?>[] parameters = constructor.getParameterTypes();
        Object[] arguments = new Object[parameters.length];
        for (int i = 0; i < parameters.length; i++) {
            arguments[i] = parameters[i] == BundleContext.class ? context
                    : parameters[i].isAnnotation() ? defaults(parameters[i]) : services.apply(parameters[i]);
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
        String streams = streamsOf(parameters);
        if (streams != null) {
            properties.put(io.earshot.api.Streams.PROPERTY, streams);
        }
        List<String> interfaces = new ArrayList<>();
        for (Class<?> api : apiInterfaces(type)) interfaces.add(api.getName());
        if (!interfaces.isEmpty()) {
            registration = context.registerService(interfaces.toArray(String[]::new), script, properties);
        }
    }

    /** Takes the script down or makes it again, as the services it needs come and go. */
    private final class Reconsider implements ServiceTrackerCustomizer<Object, Object> {
        private final BundleContext context;

        Reconsider(BundleContext context) {
            this.context = context;
        }

        @Override
        public Object addingService(ServiceReference<Object> reference) {
            Object service = context.getService(reference);
            synchronized (ScriptActivator.this) {
                if (started && script == null) {
                    remake(service, reference);
                }
            }
            return service;
        }

        @Override
        public void modifiedService(ServiceReference<Object> reference, Object service) {
        }

        @Override
        public void removedService(ServiceReference<Object> reference, Object service) {
            synchronized (ScriptActivator.this) {
                if (script != null) {
                    LOG.warn("Script {} stopped: a service it was given ({}) went away; it runs again when that is back",
                            name, ((String[]) reference.getProperty(Constants.OBJECTCLASS))[0]);
                    try {
                        takeDown();
                    } catch (RuntimeException e) {
                        LOG.error("Script {}: {}", name, e.getMessage());
                    }
                }
            }
            context.ungetService(reference);
        }

        /** Called while the tracker adds {@code service}, which it does not hand out yet: it is passed on here. */
        private void remake(Object service, ServiceReference<Object> reference) {
            List<String> arriving = Arrays.asList((String[]) reference.getProperty(Constants.OBJECTCLASS));
            Function<Class<?>, Object> services = needed -> arriving.contains(needed.getName()) ? service : trackers.get(needed).getService();
            for (Class<?> needed : trackers.keySet()) {
                if (services.apply(needed) == null) {
                    return;
                }
            }
            try {
                make(services);
                LOG.info("Script {} runs again: the services it needs are back", name);
            } catch (RuntimeException e) {
                LOG.error("Script {} could not be made again: {}", name, e.getMessage());
            }
        }
    }

    /** A configuration annotation answering its defaults: a script's configuration is in its source. */
    /**
     * The streams a script hears: its configuration's {@code earshot_stream()} default (the
     * property {@code earshot.stream}, as a plugin's configuration sets it), else main.
     */
    private static String streamsOf(Class<?>[] parameters) {
        for (Class<?> parameter : parameters) {
            if (!parameter.isAnnotation()) continue;
            try {
                Object streams = parameter.getDeclaredMethod("earshot_stream").getDefaultValue();
                if (streams instanceof String text && !text.isBlank()) return text.trim();
            } catch (NoSuchMethodException e) {
                // this configuration does not choose streams
            }
        }
        return null;
    }

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
        synchronized (this) {
            started = false;
            takeDown();
        }
        for (ServiceTracker<Object, Object> tracker : trackers.values()) tracker.close();
    }

    /** Unregisters the script and runs its {@code @Deactivate} method (or {@code close()}). */
    private void takeDown() {
        Object stopping = script;
        script = null;
        if (registration != null) {
            try {
                registration.unregister();
            } catch (IllegalStateException alreadyGone) {
                // the bundle is stopping: the framework took it down
            }
            registration = null;
        }
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
