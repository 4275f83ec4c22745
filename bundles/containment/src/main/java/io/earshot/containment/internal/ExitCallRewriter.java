package io.earshot.containment.internal;

import java.util.HashMap;
import java.util.Map;

import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Handle;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

import io.earshot.containment.guard.ExitGuard;

/**
 * Rewrites a class's calls that could end the runtime into calls of {@link ExitGuard}: each
 * {@code System.exit}, {@code Runtime.exit/halt}, system-bundle stop/update/uninstall and
 * start-level change becomes a static guard call taking the same operands (the receiver first),
 * method references to them are redirected the same way, method-handle lookups go through the
 * guard, and every {@code Method.invoke} is preceded by a check of the method (the invoke itself
 * stays in the caller's frame, since its access check looks at the caller).
 */
final class ExitCallRewriter {

    static final String GUARD = ExitGuard.class.getName().replace('.', '/');
    /** The package woven classes import to reach the guard. */
    static final String GUARD_IMPORT = ExitGuard.class.getPackageName() + ";version=\"[1.0,2.0)\"";

    private static final String BUNDLE = "org/osgi/framework/Bundle";
    private static final String LOOKUP = "java/lang/invoke/MethodHandles$Lookup";
    private static final String METHOD = "java/lang/reflect/Method";
    private static final String INVOKE = "(Ljava/lang/Object;[Ljava/lang/Object;)Ljava/lang/Object;";
    private static final String FIND = "(Ljava/lang/Class;Ljava/lang/String;Ljava/lang/invoke/MethodType;)Ljava/lang/invoke/MethodHandle;";

    /** A guard method: its name and descriptor. */
    private record Target(String name, String descriptor) {
    }

    /** owner + "." + name + descriptor of the call, to the guard method that replaces it. */
    private static final Map<String, Target> CALLS = new HashMap<>();

    static {
        CALLS.put("java/lang/System.exit(I)V", new Target("systemExit", "(I)V"));
        CALLS.put("java/lang/Runtime.exit(I)V", new Target("runtimeExit", "(Ljava/lang/Runtime;I)V"));
        CALLS.put("java/lang/Runtime.halt(I)V", new Target("runtimeHalt", "(Ljava/lang/Runtime;I)V"));
        for (String owner : new String[] {BUNDLE, "org/osgi/framework/launch/Framework"}) {
            CALLS.put(owner + ".stop()V", new Target("bundleStop", "(L" + BUNDLE + ";)V"));
            CALLS.put(owner + ".stop(I)V", new Target("bundleStop", "(L" + BUNDLE + ";I)V"));
            CALLS.put(owner + ".update()V", new Target("bundleUpdate", "(L" + BUNDLE + ";)V"));
            CALLS.put(owner + ".update(Ljava/io/InputStream;)V", new Target("bundleUpdate", "(L" + BUNDLE + ";Ljava/io/InputStream;)V"));
            CALLS.put(owner + ".uninstall()V", new Target("bundleUninstall", "(L" + BUNDLE + ";)V"));
        }
        CALLS.put("org/osgi/framework/startlevel/FrameworkStartLevel.setStartLevel(I[Lorg/osgi/framework/FrameworkListener;)V",
                new Target("setStartLevel", "(Lorg/osgi/framework/startlevel/FrameworkStartLevel;I[Lorg/osgi/framework/FrameworkListener;)V"));
        CALLS.put(LOOKUP + ".findStatic" + FIND, new Target("findStatic", "(L" + LOOKUP + ";" + FIND.substring(1)));
        CALLS.put(LOOKUP + ".findVirtual" + FIND, new Target("findVirtual", "(L" + LOOKUP + ";" + FIND.substring(1)));
        CALLS.put(LOOKUP + ".unreflect(Ljava/lang/reflect/Method;)Ljava/lang/invoke/MethodHandle;",
                new Target("unreflect", "(L" + LOOKUP + ";Ljava/lang/reflect/Method;)Ljava/lang/invoke/MethodHandle;"));
    }

    /** The class rewritten, or null when it makes none of these calls. */
    static byte[] rewrite(byte[] classFile) {
        ClassReader reader = new ClassReader(classFile);
        ClassWriter writer = new ClassWriter(reader, ClassWriter.COMPUTE_MAXS);
        boolean[] changed = {false};
        reader.accept(new ClassVisitor(Opcodes.ASM9, writer) {
            @Override
            public MethodVisitor visitMethod(int access, String name, String descriptor, String signature, String[] exceptions) {
                return new Calls(super.visitMethod(access, name, descriptor, signature, exceptions), changed);
            }
        }, 0);
        return changed[0] ? writer.toByteArray() : null;
    }

    private static final class Calls extends MethodVisitor {
        private final boolean[] changed;

        Calls(MethodVisitor next, boolean[] changed) {
            super(Opcodes.ASM9, next);
            this.changed = changed;
        }

        @Override
        public void visitMethodInsn(int opcode, String owner, String name, String descriptor, boolean isInterface) {
            Target target = opcode == Opcodes.INVOKESPECIAL ? null : CALLS.get(owner + "." + name + descriptor);
            if (target != null) {
                changed[0] = true;
                super.visitMethodInsn(Opcodes.INVOKESTATIC, GUARD, target.name(), target.descriptor(), false);
                return;
            }
            if (opcode == Opcodes.INVOKEVIRTUAL && owner.equals(METHOD) && name.equals("invoke") && descriptor.equals(INVOKE)) {
                changed[0] = true;
                // method, target, arguments -> method, target, arguments, method -> the check takes the copy
                super.visitInsn(Opcodes.DUP2_X1);
                super.visitInsn(Opcodes.POP2);
                super.visitInsn(Opcodes.DUP_X2);
                super.visitMethodInsn(Opcodes.INVOKESTATIC, GUARD, "checkInvoke", "(Ljava/lang/reflect/Method;)V", false);
            }
            super.visitMethodInsn(opcode, owner, name, descriptor, isInterface);
        }

        @Override
        public void visitInvokeDynamicInsn(String name, String descriptor, Handle bootstrap, Object... arguments) {
            Object[] redirected = arguments.clone();
            for (int i = 0; i < redirected.length; i++) {
                redirected[i] = redirect(redirected[i]);
            }
            super.visitInvokeDynamicInsn(name, descriptor, bootstrap, redirected);
        }

        @Override
        public void visitLdcInsn(Object value) {
            super.visitLdcInsn(redirect(value));
        }

        /** A method reference to one of the calls (e.g. {@code System::exit}) becomes one to its guard. */
        private Object redirect(Object constant) {
            if (constant instanceof Handle handle && handle.getTag() != Opcodes.H_INVOKESPECIAL
                    && handle.getTag() >= Opcodes.H_INVOKEVIRTUAL) {
                Target target = CALLS.get(handle.getOwner() + "." + handle.getName() + handle.getDesc());
                if (target != null) {
                    changed[0] = true;
                    return new Handle(Opcodes.H_INVOKESTATIC, GUARD, target.name(), target.descriptor(), false);
                }
            }
            return constant;
        }
    }
}
