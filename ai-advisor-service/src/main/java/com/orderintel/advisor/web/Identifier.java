package com.orderintel.advisor.web;

import com.orderintel.dataset.Identifiers;
import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A key such as an order id or product id, by the platform's one rule ({@link Identifiers}): 1 to 128 letters,
 * digits and {@code - _ . : / # @}. Null passes (pair with {@code @NotBlank} where the key is required); the message
 * says what is wrong without quoting the value.
 */
@Target({ElementType.FIELD, ElementType.RECORD_COMPONENT, ElementType.PARAMETER, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Constraint(validatedBy = Identifier.Validator.class)
public @interface Identifier {
    String message() default "is not a valid identifier";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    final class Validator implements ConstraintValidator<Identifier, String> {
        @Override
        public boolean isValid(String value, ConstraintValidatorContext context) {
            String problem = value == null ? null : Identifiers.problem(value);
            if (problem == null) {
                return true;
            }
            context.disableDefaultConstraintViolation();
            // the problem text holds no '{', '}', '$' or '\' (it never quotes the value), so it is a safe template
            context.buildConstraintViolationWithTemplate(problem).addConstraintViolation();
            return false;
        }
    }
}
