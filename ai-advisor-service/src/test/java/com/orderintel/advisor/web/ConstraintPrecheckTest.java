package com.orderintel.advisor.web;

import com.orderintel.advisor.anomaly.AnomalyRequest;
import com.orderintel.advisor.feedback.FeedbackRequest;
import com.orderintel.advisor.forecast.ForecastRequest;
import jakarta.validation.Validation;
import jakarta.validation.Validator;
import jakarta.validation.ValidatorFactory;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotNull;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The precheck may only say "valid" where Bean Validation finds nothing: checked against the real validator on the
 * request records the entry points validate, over values on and around every bound, and it must prove the ordinary
 * valid records (else the batch path would not gain).
 */
class ConstraintPrecheckTest {

    private static final ValidatorFactory FACTORY = Validation.buildDefaultValidatorFactory();
    private static final Validator VALIDATOR = FACTORY.getValidator();

    private static final List<Double> NUMBERS = Arrays.asList(null, Double.NaN, Double.POSITIVE_INFINITY,
            Double.NEGATIVE_INFINITY, -0.0, 0.0, Double.MIN_VALUE, -Double.MIN_VALUE, 1.0, Math.nextUp(1.0),
            Math.nextDown(1.0), 0.5, 0.92, -1.0, 1e300, -1e-300, 420.0, 3.0, 2.0, 0.1, 1e-320);
    private static final List<String> IDS = Arrays.asList(null, "", " ", "o-1001", "SKU-001", "a".repeat(128),
            "a".repeat(129), "bad id!", "\u00a0", "x/y:z#1@2", "\t");
    private static final List<String> NOTES = Arrays.asList(null, "", "late again", "n".repeat(8000), "n".repeat(8001));
    private static final List<LocalDate> DATES = Arrays.asList(null, LocalDate.of(2024, 8, 15), LocalDate.of(0, 1, 1),
            LocalDate.of(10000, 1, 1), LocalDate.of(1, 1, 1), LocalDate.of(9999, 12, 31));

    @AfterAll
    static void close() {
        FACTORY.close();
    }

    @Test
    void neverCallsAnInvalidRecordValid() {
        Random random = new Random(42);
        agrees(AnomalyRequest.class, random, r -> new AnomalyRequest(pick(r, IDS), pick(r, NUMBERS), pick(r, NUMBERS),
                pick(r, NUMBERS), pick(r, NOTES)));
        agrees(ForecastRequest.class, random, r -> new ForecastRequest(pick(r, DATES), pick(r, IDS), pick(r, NUMBERS),
                pick(r, NUMBERS)));
        agrees(FeedbackRequest.class, random, r -> new FeedbackRequest(pick(r, IDS), pick(r, IDS), pick(r, IDS),
                pick(r, DATES), pick(r, NUMBERS), pick(r, NUMBERS)));
    }

    @Test
    void provesOrdinaryRecordsValid() {
        ConstraintPrecheck anomaly = ConstraintPrecheck.of(VALIDATOR, AnomalyRequest.class);
        assertThat(anomaly.provesValid(new AnomalyRequest("o-1", 420.0, 3.0, 0.92))).isTrue();
        assertThat(anomaly.provesValid(new AnomalyRequest(null, 0.0, 0.0, 0.0))).isTrue();
        assertThat(anomaly.provesValid(new AnomalyRequest(null, 1e6, 41.0, 1.0, "late again"))).isTrue();
        // doubtful or invalid: left to the validator
        assertThat(anomaly.provesValid(new AnomalyRequest(null, -0.0, 3.0, 0.5))).isFalse();
        assertThat(anomaly.provesValid(new AnomalyRequest(null, 1.0, 3.0, Math.nextUp(1.0)))).isFalse();
        assertThat(anomaly.provesValid(new AnomalyRequest(null, Double.NaN, 3.0, 0.5))).isFalse();
        assertThat(anomaly.provesValid(new AnomalyRequest("bad id!", 1.0, 3.0, 0.5))).isFalse();
        assertThat(anomaly.provesValid(new AnomalyRequest(null, null, 3.0, 0.5))).isFalse();

        ConstraintPrecheck forecast = ConstraintPrecheck.of(VALIDATOR, ForecastRequest.class);
        assertThat(forecast.provesValid(new ForecastRequest(LocalDate.of(2024, 8, 15), "SKU-001", 54.9, 1.0))).isTrue();
        assertThat(forecast.provesValid(new ForecastRequest(LocalDate.of(2024, 8, 15), " ", 54.9, 1.0))).isFalse();
        assertThat(forecast.provesValid(new ForecastRequest(LocalDate.of(2024, 8, 15), "SKU-001", 54.9, 0.5))).isFalse();
    }

    public record WithEmail(@NotNull @Email String email) { }

    public record ExclusiveTenth(@DecimalMin(value = "0.1", inclusive = false) Double value) { }

    static final class NotARecord {
        @NotNull
        String name;
    }

    @Test
    void leavesWhatItCannotProveToTheValidator() {
        assertThat(ConstraintPrecheck.of(VALIDATOR, WithEmail.class)).isSameAs(ConstraintPrecheck.NONE);
        assertThat(ConstraintPrecheck.of(VALIDATOR, NotARecord.class)).isSameAs(ConstraintPrecheck.NONE);
        assertThat(ConstraintPrecheck.NONE.provesValid(new WithEmail("a@b.c"))).isFalse();
        // a bound that is no double: its nearest double is doubtful, the next one up is not
        ConstraintPrecheck tenth = ConstraintPrecheck.of(VALIDATOR, ExclusiveTenth.class);
        assertThat(tenth.provesValid(new ExclusiveTenth(0.1))).isFalse();
        assertThat(tenth.provesValid(new ExclusiveTenth(Math.nextUp(0.1)))).isTrue();
        assertThat(VALIDATOR.validate(new ExclusiveTenth(Math.nextUp(0.1)))).isEmpty();
    }

    /** Random records and every record built from the edge values: a proven record must have no violation. */
    private static <T> void agrees(Class<T> type, Random random, Function<Random, T> make) {
        ConstraintPrecheck precheck = ConstraintPrecheck.of(VALIDATOR, type);
        assertThat(precheck).as(type.getSimpleName() + " qualifies").isNotSameAs(ConstraintPrecheck.NONE);
        int proven = 0;
        int valid = 0;
        for (int i = 0; i < 20_000; i++) {
            T record = make.apply(random);
            boolean isValid = VALIDATOR.validate(record).isEmpty();
            boolean says = precheck.provesValid(record);
            if (says && !isValid) {
                String shown = String.valueOf(record);
                throw new AssertionError(shown.substring(0, Math.min(shown.length(), 300))
                        + " proven valid but the validator says " + VALIDATOR.validate(record));
            }
            proven += says ? 1 : 0;
            valid += isValid ? 1 : 0;
        }
        assertThat(proven).as(type.getSimpleName() + ": proven of " + valid + " valid").isGreaterThan(valid / 2);
    }

    private static <T> T pick(Random random, List<T> values) {
        return values.get(random.nextInt(values.size()));
    }
}
