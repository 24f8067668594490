package io.rowseal.agent.internal;

import java.security.ProtectionDomain;
import java.util.List;
import java.util.Map;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.asm.AsmVisitorWrapper;
import net.bytebuddy.description.field.FieldDescription;
import net.bytebuddy.description.field.FieldList;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.jar.asm.AnnotationVisitor;
import net.bytebuddy.jar.asm.FieldVisitor;
import net.bytebuddy.utility.JavaModule;
import net.bytebuddy.utility.OpenedClassReader;

import static net.bytebuddy.matcher.ElementMatchers.named;

/**
 * Adds {@code @io.rowseal.Encrypted} (with {@code context} and {@code lengthBuckets} when configured), and
 * {@code @io.rowseal.Searchable} to a field configured searchable, to the configured fields of a class as it
 * loads. It writes {@code RuntimeVisibleAnnotations} entries on each field and touches nothing else, so the class keeps its shape and Hibernate maps the field exactly as if the source
 * carried the annotations. A field whose source already carries {@code @Encrypted} is left alone.
 *
 * <p>Thread-safe; records what it did in the {@link TargetTracker}.
 */
final class EncryptedFieldAnnotator implements AgentBuilder.Transformer {

  static final String ENCRYPTED = "io.rowseal.Encrypted";
  private static final String ENCRYPTED_DESCRIPTOR = "Lio/rowseal/Encrypted;";
  private static final String SEARCHABLE_DESCRIPTOR = "Lio/rowseal/Searchable;";
  private static final String NORMALIZATION_DESCRIPTOR = "Lio/rowseal/Searchable$Normalization;";

  /** Class name → its configured fields. */
  private final Map<String, List<Target>> targetsByClass;
  private final TargetTracker tracker;

  EncryptedFieldAnnotator(Map<String, List<Target>> targetsByClass, TargetTracker tracker) {
    this.targetsByClass = targetsByClass;
    this.tracker = tracker;
  }

  @Override
  public DynamicType.Builder<?> transform(DynamicType.Builder<?> builder, TypeDescription type,
      ClassLoader classLoader, JavaModule module, ProtectionDomain protectionDomain) {
    List<Target> targets = targetsByClass.getOrDefault(type.getName(), List.of());
    AsmVisitorWrapper.ForDeclaredFields annotate = new AsmVisitorWrapper.ForDeclaredFields();
    boolean any = false;
    for (Target target : targets) {
      FieldList<FieldDescription.InDefinedShape> fields = type.getDeclaredFields().filter(named(target.fieldName()));
      if (fields.isEmpty()) {
        tracker.record(target, TargetTracker.State.FIELD_MISSING);
        AgentLog.warn("RS-6102 " + target + ": class " + type.getName() + " (loaded by " + classLoader
            + ") declares no field " + target.fieldName() + "; its fields are " + fieldNames(type));
        continue;
      }
      if (fields.getOnly().getDeclaredAnnotations().stream()
          .anyMatch(annotation -> annotation.getAnnotationType().getName().equals(ENCRYPTED))) {
        tracker.record(target, TargetTracker.State.ALREADY_ANNOTATED);
        continue;
      }
      annotate = annotate.field(named(target.fieldName()), new AddEncrypted(target));
      tracker.record(target, TargetTracker.State.ANNOTATED);
      any = true;
    }
    return any ? builder.visit(annotate) : builder;
  }

  private static String fieldNames(TypeDescription type) {
    StringBuilder names = new StringBuilder();
    for (FieldDescription.InDefinedShape field : type.getDeclaredFields()) {
      if (names.length() > 0) {
        names.append(", ");
      }
      names.append(field.getName());
    }
    return names.length() == 0 ? "(none)" : names.toString();
  }

  /** Appends the annotations when the field's attributes end. */
  private static final class AddEncrypted implements AsmVisitorWrapper.ForDeclaredFields.FieldVisitorWrapper {

    private final Target target;

    AddEncrypted(Target target) {
      this.target = target;
    }

    @Override
    public FieldVisitor wrap(TypeDescription instrumentedType, FieldDescription.InDefinedShape field,
        FieldVisitor fieldVisitor) {
      return new FieldVisitor(OpenedClassReader.ASM_API, fieldVisitor) {
        @Override
        public void visitEnd() {
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
          super.visitEnd();
        }
      };
    }
  }
}
