package com.orderintel.advisor.web;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * {@code advisor.api.*}: bounds on what one request may carry.
 *
 * @param maxBatchSize     the most records one batch request may carry (400 beyond it)
 * @param maxBodySize      the largest request body (413 beyond it)
 * @param maxJsonDepth     deepest JSON nesting (400 beyond it)
 * @param maxStringLength  longest JSON string value, in characters (400 beyond it)
 * @param maxNumberLength  longest JSON number, in characters (400 beyond it)
 */
@ConfigurationProperties("advisor.api")
public record ApiProperties(@DefaultValue("1000") int maxBatchSize,
                            @DefaultValue("1MB") DataSize maxBodySize,
                            @DefaultValue("32") int maxJsonDepth,
                            @DefaultValue("100000") int maxStringLength,
                            @DefaultValue("64") int maxNumberLength) {
    public ApiProperties {
        if (maxBatchSize < 1) {
            throw new IllegalArgumentException("advisor.api.max-batch-size must be at least 1, got " + maxBatchSize);
        }
        if (maxBodySize == null || maxBodySize.toBytes() < 1024) {
            throw new IllegalArgumentException("advisor.api.max-body-size must be at least 1KB, got " + maxBodySize);
        }
        if (maxJsonDepth < 4 || maxStringLength < 256 || maxNumberLength < 16) {
            throw new IllegalArgumentException("advisor.api.max-json-depth >= 4, max-string-length >= 256 and "
                    + "max-number-length >= 16 are needed to read any request");
        }
    }
}
