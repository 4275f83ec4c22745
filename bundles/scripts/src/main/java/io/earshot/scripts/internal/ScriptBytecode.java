package io.earshot.scripts.internal;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.objectweb.asm.AnnotationVisitor;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Handle;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.commons.ClassRemapper;
import org.objectweb.asm.commons.Remapper;

import io.earshot.scripts.runtime.ScriptActivator;

/**
 * What the executor does to a script's compiled classes: a {@link ScriptActivator#checkpoint}
 * call before every backward jump (so every loop can be stopped), and what it needs to know to
 * make the bundle: the packages the classes refer to, and the {@code @Deactivate} method.
 */
final class ScriptBytecode {

    private static final String CHECKPOINT_OWNER = Type.getInternalName(ScriptActivator.class);
    private static final String DEACTIVATE = "Lorg/osgi/service/component/annotations/Deactivate;";

    /** Packages referred to by the classes seen so far, dotted. */
    final Set<String> packages = new TreeSet<>();
    /** The no-argument method annotated {@code @Deactivate} of the last class seen that has one. */
    String deactivateMethod;

    /** The class with checkpoints inserted; records its packages and its deactivate method. */
    byte[] instrument(byte[] classFile, int runId) {
        ClassReader reader = new ClassReader(classFile);
        ClassWriter writer = new ClassWriter(reader, ClassWriter.COMPUTE_MAXS);
        ClassVisitor checkpoints = new ClassVisitor(Opcodes.ASM9, writer) {
            @Override
            public MethodVisitor visitMethod(int access, String name, String descriptor, String signature, String[] exceptions) {
                MethodVisitor next = super.visitMethod(access, name, descriptor, signature, exceptions);
                return new LoopCheckpoints(next, runId, name, descriptor);
            }
        };
        reader.accept(new ClassRemapper(checkpoints, new Remapper() {
            @Override
            public String map(String internalName) {
                int slash = internalName.lastIndexOf('/');
                if (slash > 0 && internalName.charAt(0) != '[') packages.add(internalName.substring(0, slash).replace('/', '.'));
                return internalName;
            }
        }), 0);
        return writer.toByteArray();
    }

    /** A call in a script that would end the runtime, at its source line (0: unknown). */
    record ExitCall(int line, String call) {
    }

    private static final Map<String, String> EXIT_CALLS = Map.of(
            "java/lang/System.exit(I)V", "System.exit",
            "java/lang/Runtime.exit(I)V", "Runtime.exit",
            "java/lang/Runtime.halt(I)V", "Runtime.halt");

    /**
     * The calls of {@code System.exit}, {@code Runtime.exit} and {@code Runtime.halt} in a class,
     * direct or as method references, so the executor can refuse the script at compile time with
     * the line. (At run time the containment bundle refuses these and their reflective forms too.)
     */
    static List<ExitCall> exitCalls(byte[] classFile) {
        List<ExitCall> calls = new ArrayList<>();
        new ClassReader(classFile).accept(new ClassVisitor(Opcodes.ASM9) {
            @Override
            public MethodVisitor visitMethod(int access, String name, String descriptor, String signature, String[] exceptions) {
                return new MethodVisitor(Opcodes.ASM9) {
                    private int line;

                    @Override
                    public void visitLineNumber(int lineNumber, Label start) {
                        line = lineNumber;
                    }

                    @Override
                    public void visitMethodInsn(int opcode, String owner, String method, String desc, boolean isInterface) {
                        note(owner + "." + method + desc);
                    }

                    @Override
                    public void visitInvokeDynamicInsn(String method, String desc, Handle bootstrap, Object... arguments) {
                        for (Object argument : arguments) {
                            if (argument instanceof Handle handle) note(handle.getOwner() + "." + handle.getName() + handle.getDesc());
                        }
                    }

                    private void note(String key) {
                        String call = EXIT_CALLS.get(key);
                        if (call != null) calls.add(new ExitCall(line, call));
                    }
                };
            }
        }, 0);
        return calls;
    }

    private final class LoopCheckpoints extends MethodVisitor {
        private final Set<Label> seen = new HashSet<>();
        private final int runId;
        private final String method;
        private final boolean noArguments;

        LoopCheckpoints(MethodVisitor next, int runId, String method, String descriptor) {
            super(Opcodes.ASM9, next);
            this.runId = runId;
            this.method = method;
            this.noArguments = descriptor.startsWith("()");
        }

        @Override
        public AnnotationVisitor visitAnnotation(String descriptor, boolean visible) {
            if (DEACTIVATE.equals(descriptor) && noArguments) deactivateMethod = method;
            return super.visitAnnotation(descriptor, visible);
        }

        @Override
        public void visitLabel(Label label) {
            seen.add(label);
            super.visitLabel(label);
        }

        @Override
        public void visitJumpInsn(int opcode, Label target) {
            if (seen.contains(target)) {
                // a jump back: a loop turn; the call leaves the operand stack as it was
                super.visitLdcInsn(runId);
                super.visitMethodInsn(Opcodes.INVOKESTATIC, CHECKPOINT_OWNER, "checkpoint", "(I)V", false);
            }
            super.visitJumpInsn(opcode, target);
        }
    }
}
