package com.orderintel.advisor.web;

import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A 0/1 flag. The field is a Double on purpose: Jackson would silently truncate 0.5 to 0 for an Integer
 * field, and a flag of 0.5 must be refused, not rounded.
 */
@Target({ElementType.FIELD, ElementType.RECORD_COMPONENT, ElementType.PARAMETER, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Constraint(validatedBy = ZeroOrOne.Validator.class)
public @interface ZeroOrOne {
    String message() default "must be 0 or 1";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    final class Validator implements ConstraintValidator<ZeroOrOne, Double> {
        @Override
        public boolean isValid(Double value, ConstraintValidatorContext context) {
            return value == null || value == 0.0 || value == 1.0;
        }
    }
}
