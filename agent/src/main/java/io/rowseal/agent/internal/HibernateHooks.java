package io.rowseal.agent.internal;

import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.ClassWriter;
import net.bytebuddy.jar.asm.Label;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import net.bytebuddy.jar.asm.Type;

/**
 * The two Hibernate classes the agent hooks, and the hook: at every normal exit of every constructor, a
 * call of the bootstrap {@code io.rowseal.agent.bootstrap.RowsealBridge}, which every class loader sees.
 * The woven code names only that bridge and JDK types; the work happens behind the bridge.
 *
 * <p>Each {@code return} of a constructor becomes a jump to one exit block appended after the original
 * code, as Byte Buddy's exit advice does: appended, the call lies outside every exception handler's range,
 * so an exception of the bridge (a refused session factory) is never caught by the constructor's own
 * {@code catch}. The class keeps its fields and methods (retransformation may not add any). The only
 * stack map frame added is the exit block's, which is known without any type analysis ({@code this},
 * initialized, and an empty stack: a {@code void} return leaves nothing on it), so no frame is computed
 * and no class is loaded to compute one.
 */
final class HibernateHooks {

  // dotted on purpose: the agent section's bytes never spell a Hibernate class's internal name (JarLayoutIT)
  static final String BOOTSTRAP_REGISTRY_BUILDER = "org.hibernate.boot.registry.BootstrapServiceRegistryBuilder";
  static final String SESSION_FACTORY = "org.hibernate.internal.SessionFactoryImpl";

  private static final String BRIDGE = "io/rowseal/agent/bootstrap/RowsealBridge";

  /** Which bridge method a hooked class's constructors call. */
  enum Hook {
    /** {@code RowsealBridge.bootstrapRegistryBuilderCreated(this, <the class>)}: add the rowseal library. */
    REGISTRY_BUILDER_CREATED("bootstrapRegistryBuilderCreated", "(Ljava/lang/Object;Ljava/lang/Class;)V"),
    /** {@code RowsealBridge.sessionFactoryCreated(this)}: refuse a factory that rowseal did not verify. */
    SESSION_FACTORY_CREATED("sessionFactoryCreated", "(Ljava/lang/Object;)V");

    private final String method;
    private final String descriptor;

    Hook(String method, String descriptor) {
      this.method = method;
      this.descriptor = descriptor;
    }
  }

  private HibernateHooks() {}

  /** The class file with the hook woven into every constructor of {@code internalName}. */
  static byte[] weave(String internalName, byte[] classFile, Hook hook) {
    ClassReader reader = new ClassReader(classFile);
    // no COMPUTE_*: the one frame added is written explicitly, and the methods left alone are copied as they are
    ClassWriter writer = new ClassWriter(reader, 0);
    reader.accept(new ClassVisitor(Opcodes.ASM9, writer) {
      private boolean frames;

      @Override
      public void visit(int version, int access, String name, String signature, String superName,
          String[] interfaces) {
        frames = (version & 0xFFFF) >= Opcodes.V1_6;
        super.visit(version, access, name, signature, superName, interfaces);
      }

      @Override
      public MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
          String[] exceptions) {
        MethodVisitor method = super.visitMethod(access, name, descriptor, signature, exceptions);
        return method != null && name.equals("<init>") ? new ExitHook(method, internalName, frames, hook) : method;
      }
    }, 0);
    return writer.toByteArray();
  }

  /** Turns each {@code return} into a jump to the exit block, which calls the bridge and returns. */
  private static final class ExitHook extends MethodVisitor {

    private final String owner;
    private final boolean frames;
    private final Hook hook;
    private final Label exit = new Label();
    private boolean returns;

    ExitHook(MethodVisitor method, String owner, boolean frames, Hook hook) {
      super(Opcodes.ASM9, method);
      this.owner = owner;
      this.frames = frames;
      this.hook = hook;
    }

    @Override
    public void visitInsn(int opcode) {
      if (opcode == Opcodes.RETURN) {
        super.visitJumpInsn(Opcodes.GOTO, exit);
        returns = true;
      } else {
        super.visitInsn(opcode);
      }
    }

    @Override
    public void visitMaxs(int maxStack, int maxLocals) {
      if (returns) {
        super.visitLabel(exit);
        if (frames) {
          // locals past this one are TOP, which whatever each jump leaves there is assignable to
          super.visitFrame(Opcodes.F_FULL, 1, new Object[] {owner}, 0, new Object[0]);
        }
        super.visitVarInsn(Opcodes.ALOAD, 0);
        if (hook == Hook.REGISTRY_BUILDER_CREATED) {
          super.visitLdcInsn(Type.getObjectType(owner));
        }
        super.visitMethodInsn(Opcodes.INVOKESTATIC, BRIDGE, hook.method, hook.descriptor, false);
        super.visitInsn(Opcodes.RETURN);
      }
      super.visitMaxs(Math.max(maxStack, 2), maxLocals);
    }
  }
}
