package io.rowseal.agent.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.bytebuddy.jar.asm.AnnotationVisitor;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.ClassWriter;
import net.bytebuddy.jar.asm.FieldVisitor;
import net.bytebuddy.jar.asm.Opcodes;

/**
 * Adds {@code @io.rowseal.Encrypted} (with {@code context} and {@code lengthBuckets} when configured), and
 * {@code @io.rowseal.Searchable} to a field configured searchable, to the configured fields of a class as it
 * loads. It writes {@code RuntimeVisibleAnnotations} entries on each field and touches nothing else (methods
 * are copied byte for byte), so the class keeps its shape and Hibernate maps the field exactly as if the
 * source carried the annotations. A field whose source already carries {@code @Encrypted} is left alone.
 *
 * <p>Thread-safe; records what it did in the {@link TargetTracker}.
 */
final class EncryptedFieldAnnotator {

  static final String ENCRYPTED = "io.rowseal.Encrypted";
  private static final String ENCRYPTED_DESCRIPTOR = "Lio/rowseal/Encrypted;";
  private static final String SEARCHABLE_DESCRIPTOR = "Lio/rowseal/Searchable;";
  private static final String NORMALIZATION_DESCRIPTOR = "Lio/rowseal/Searchable$Normalization;";

  /** Internal class name ({@code com/acme/Customer}) → its configured fields. */
  private final Map<String, List<Target>> targetsByClass = new HashMap<>();
  private final TargetTracker tracker;

  /** @param targetsByClass class name ({@code com.acme.Customer}) → its configured fields */
  EncryptedFieldAnnotator(Map<String, List<Target>> targetsByClass, TargetTracker tracker) {
    targetsByClass.forEach((name, targets) -> this.targetsByClass.put(name.replace('.', '/'), List.copyOf(targets)));
    this.tracker = tracker;
  }

  /** The internal names of the configured classes. */
  Set<String> classes() {
    return targetsByClass.keySet();
  }

  /**
   * The class file with the configured fields of {@code internalName} annotated; {@code null} when nothing was
   * added (no configured field, or each already annotated).
   */
  byte[] annotate(String internalName, byte[] classFile, ClassLoader loader) {
    List<Target> targets = targetsByClass.getOrDefault(internalName, List.of());
    ClassReader reader = new ClassReader(classFile);
    ClassWriter writer = new ClassWriter(reader, 0);
    FieldsAnnotator fields = new FieldsAnnotator(writer, targets);
    reader.accept(fields, 0);
    boolean any = false;
    for (Target target : targets) {
      if (!fields.declared.contains(target.fieldName())) {
        tracker.record(target, TargetTracker.State.FIELD_MISSING);
        AgentLog.warn("RS-6102 " + target + ": class " + internalName.replace('/', '.') + " (loaded by " + loader
            + ") declares no field " + target.fieldName() + "; its fields are "
            + (fields.declared.isEmpty() ? "(none)" : String.join(", ", fields.declared)));
      } else if (fields.alreadyAnnotated.contains(target.fieldName())) {
        tracker.record(target, TargetTracker.State.ALREADY_ANNOTATED);
      } else {
        tracker.record(target, TargetTracker.State.ANNOTATED);
        any = true;
      }
    }
    return any ? writer.toByteArray() : null;
  }

  /** Passes the class through, appending the annotations to each configured field not annotated yet. */
  private static final class FieldsAnnotator extends ClassVisitor {

    private final Map<String, Target> byField = new HashMap<>();
    /** The class's fields, in declaration order. */
    final List<String> declared = new ArrayList<>();
    final Set<String> alreadyAnnotated = new HashSet<>();

    FieldsAnnotator(ClassVisitor next, List<Target> targets) {
      super(Opcodes.ASM9, next);
      for (Target target : targets) {
        byField.put(target.fieldName(), target);
      }
    }

    @Override
    public FieldVisitor visitField(int access, String name, String descriptor, String signature, Object value) {
      declared.add(name);
      FieldVisitor field = super.visitField(access, name, descriptor, signature, value);
      Target target = byField.get(name);
      return target == null || field == null ? field : new AddEncrypted(field, target, name);
    }

    /** Notes an {@code @Encrypted} the source wrote; appends the annotations when the field's attributes end. */
    private final class AddEncrypted extends FieldVisitor {

      private final Target target;
      private final String name;
      private boolean annotated;

      AddEncrypted(FieldVisitor field, Target target, String name) {
        super(Opcodes.ASM9, field);
        this.target = target;
        this.name = name;
      }

      @Override
      public AnnotationVisitor visitAnnotation(String descriptor, boolean visible) {
        if (descriptor.equals(ENCRYPTED_DESCRIPTOR)) {
          annotated = true;
        }
        return super.visitAnnotation(descriptor, visible);
      }

      @Override
      public void visitEnd() {
        if (annotated) {
          alreadyAnnotated.add(name);
        } else {
          addAnnotations();
        }
        super.visitEnd();
      }

      private void addAnnotations() {
        AnnotationVisitor annotation = super.visitAnnotation(ENCRYPTED_DESCRIPTOR, true);
        if (annotation != null) {
          if (!target.context().isEmpty()) {
            annotation.visit("context", target.context());
          }
          if (target.lengthBuckets().length > 0) {
            AnnotationVisitor array = annotation.visitArray("lengthBuckets");
            for (int bucket : target.lengthBuckets()) {
              array.visit(null, bucket);
            }
            array.visitEnd();
          }
          annotation.visitEnd();
        }
        Target.Search search = target.search();
        AnnotationVisitor searchable = search == null ? null : super.visitAnnotation(SEARCHABLE_DESCRIPTOR, true);
        if (searchable != null) {
          // only the elements that differ from the annotation's defaults, as javac writes them
          if (!search.normalize().isEmpty()) {
            AnnotationVisitor array = searchable.visitArray("normalize");
            for (String normalization : search.normalize()) {
              array.visitEnum(null, NORMALIZATION_DESCRIPTOR, normalization);
            }
            array.visitEnd();
          }
          if (search.prefix() != 0) {
            searchable.visit("prefix", search.prefix());
          }
          if (search.unique()) {
            searchable.visit("unique", true);
          }
          if (search.bits() != 0) {
            searchable.visit("bits", search.bits());
          }
          if (search.distinctValues() != 0) {
            searchable.visit("distinctValues", search.distinctValues());
          }
          if (!search.column().isEmpty()) {
            searchable.visit("column", search.column());
          }
          searchable.visitEnd();
        }
      }
    }
  }
}
