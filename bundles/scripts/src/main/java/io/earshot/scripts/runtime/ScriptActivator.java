package io.earshot.scripts.runtime;

import java.lang.reflect.Constructor;
import java.util.Hashtable;

import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;

import io.earshot.api.AudioListener;
import io.earshot.api.Dashboard;
import io.earshot.api.Recorder;
import io.earshot.api.StreamControl;

/**
 * The activator of every script bundle: makes the script's class with the services its public
 * constructor asks for (any of {@link Dashboard}, {@link StreamControl}, {@link Recorder}, in any
 * order) and, when it is an {@link AudioListener}, registers it under the script's name. The
 * Dashboard it gets is the script bundle's own, so its handlers go when the script stops.
 */
public final class ScriptActivator implements BundleActivator {

    public static final String CLASS_HEADER = "Earshot-Script-Class";
    public static final String NAME_HEADER = "Earshot-Script-Name";

    private Object script;

    @Override
    public void start(BundleContext context) throws Exception {
        String className = context.getBundle().getHeaders().get(CLASS_HEADER);
        String name = context.getBundle().getHeaders().get(NAME_HEADER);
        Class<?> type = context.getBundle().loadClass(className);
        Constructor<?> constructor = type.getConstructors().length == 0 ? null : type.getConstructors()[0];
        if (constructor == null) {
            throw new IllegalStateException("the script's class " + className + " needs a public constructor");
        }
        Object[] arguments = new Object[constructor.getParameterCount()];
        Class<?>[] parameters = constructor.getParameterTypes();
        for (int i = 0; i < parameters.length; i++) {
            if (parameters[i] != Dashboard.class && parameters[i] != StreamControl.class && parameters[i] != Recorder.class) {
                throw new IllegalStateException("the constructor of " + className + " asks for " + parameters[i].getName()
                        + "; a script can be given Dashboard, StreamControl and Recorder");
            }
            ServiceReference<?> reference = context.getServiceReference(parameters[i]);
            if (reference == null) {
                throw new IllegalStateException(parameters[i].getSimpleName() + " is not available in this runtime");
            }
            arguments[i] = context.getService(reference);
        }
        script = constructor.newInstance(arguments);
        if (script instanceof AudioListener listener) {
            Hashtable<String, Object> properties = new Hashtable<>();
            properties.put(AudioListener.NAME, name);
            context.registerService(AudioListener.class, listener, properties);
        }
    }

    @Override
    public void stop(BundleContext context) throws Exception {
        if (script instanceof AutoCloseable closeable) {
            closeable.close();
        }
    }
}
