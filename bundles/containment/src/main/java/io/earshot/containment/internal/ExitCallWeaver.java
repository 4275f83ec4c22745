package io.earshot.containment.internal;

import org.osgi.framework.hooks.weaving.WeavingHook;
import org.osgi.framework.hooks.weaving.WovenClass;

/** Runs {@link ExitCallRewriter} over each class a plugin or script bundle loads. */
final class ExitCallWeaver implements WeavingHook {

    private final Containment containment;

    ExitCallWeaver(Containment containment) {
        this.containment = containment;
    }

    @Override
    public void weave(WovenClass woven) {
        if (!containment.contained().contains(woven.getBundleWiring().getBundle())) {
            return;
        }
        byte[] rewritten;
        try {
            rewritten = ExitCallRewriter.rewrite(woven.getBytes());
        } catch (RuntimeException e) {
            // a hook that throws is blacklisted by the framework, and would then guard nothing
            containment.weavingFailures.incrementAndGet();
            ConsoleLog.warn("cannot check " + woven.getClassName() + " of " + woven.getBundleWiring().getBundle().getSymbolicName()
                    + " for calls that end the runtime (" + e + "); it loads unchanged");
            return;
        }
        if (rewritten != null) {
            woven.setBytes(rewritten);
            woven.getDynamicImports().add(ExitCallRewriter.GUARD_IMPORT);
            containment.wovenClasses.incrementAndGet();
        }
    }
}
