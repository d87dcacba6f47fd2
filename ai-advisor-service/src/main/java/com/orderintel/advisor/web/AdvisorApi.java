package com.orderintel.advisor.web;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** Marks the {@code /api/v1} controllers whose errors are RFC 7807 problems ({@link ApiExceptionHandler}). */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
public @interface AdvisorApi { }
