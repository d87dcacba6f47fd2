package com.orderintel.registry;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.groups.Tuple.tuple;

class ApprovedPromotionTest {

    @TempDir
    Path tmp;

    private FileSystemModelStore storeWithTwoVersions() throws Exception {
        FileSystemModelStore store = FileSystemModelStore.at(tmp.resolve("reg"));
        for (String v : List.of("v1", "v2")) {
            byte[] bytes = v.getBytes();
            Path f = Files.write(tmp.resolve(v), bytes);
            store.publish(Manifests.forArtifact("order-anomaly", v, bytes), f);
        }
        return store;
    }

    @Test
    void withoutAPolicyNothingIsGuarded() throws Exception {
        FileSystemModelStore store = storeWithTwoVersions();
        assertThat(store.policy().approval()).isEmpty();
        assertThat(store.promote("order-anomaly", "production", "v1", "ann", "first").newVersion()).isEqualTo("v1");
        assertThat(store.aliases("order-anomaly").log()).singleElement().extracting(AliasMove::reason).isEqualTo("first");
    }

    @Test
    void aGuardedAliasMovesOnlyThroughARequestApprovedByASecondPrincipal() throws Exception {
        FileSystemModelStore store = storeWithTwoVersions();
        store.promote("order-anomaly", "staging", "v1", "ann", null);
        store.policy(new AliasPolicy(List.of("production"), "http://127.0.0.1:8085"));
        assertThat(FileSystemModelStore.at(tmp.resolve("reg")).policy().guards("production")).isTrue(); // read back from the store

        assertThatThrownBy(() -> store.promote("order-anomaly", "production", "v2", "ann", "better"))
                .isInstanceOf(RegistryException.class)
                .satisfies(e -> assertThat(((RegistryException) e).reason()).isEqualTo(RegistryException.Reason.APPROVAL_REQUIRED))
                .hasMessageContaining("alias 'production' of model 'order-anomaly' is guarded")
                .hasMessageContaining("http://127.0.0.1:8085/api/v1/models/order-anomaly/aliases/production/requests");
        assertThat(store.resolveAlias("order-anomaly", "production")).isEmpty();
        store.promote("order-anomaly", "staging", "v2", "ann", null); // other aliases stay free

        PromotionRequest r = store.requestPromotion("order-anomaly", "production", "v2", "ann", "precision up on shadow");
        assertThat(r.requestedBy()).isEqualTo("ann");
        assertThat(store.aliases("order-anomaly").requests()).containsExactly(r);
        assertThatThrownBy(() -> store.approve("order-anomaly", r.id(), " ANN ", "me"))
                .isInstanceOf(RegistryException.class)
                .satisfies(e -> assertThat(((RegistryException) e).reason()).isEqualTo(RegistryException.Reason.NOT_PERMITTED))
                .hasMessageContaining("cannot approve it: a second person must");
        assertThat(store.resolveAlias("order-anomaly", "production")).isEmpty();

        ModelStore.Approval a = store.approve("order-anomaly", r.id(), "bob", "looks good");
        assertThat(a.change().newVersion()).isEqualTo("v2");
        assertThat(a.request()).isEqualTo(r);
        assertThat(store.resolveAlias("order-anomaly", "production")).contains("v2");
        AliasState state = store.aliases("order-anomaly");
        assertThat(state.requests()).isEmpty();
        assertThat(state.log()).filteredOn(m -> m.alias().equals("production"))
                .extracting(AliasMove::action, AliasMove::to, AliasMove::by, AliasMove::requestId)
                .containsExactly(tuple("request", "v2", "ann", r.id()), tuple("approve", "v2", "bob", r.id()),
                        tuple("promote", "v2", "bob", r.id()));
        assertThat(state.log().getLast().reason()).contains("approved request " + r.id() + " by ann: precision up on shadow");
        assertThatThrownBy(() -> store.approve("order-anomaly", r.id(), "carl", null))
                .hasMessageContaining("no pending promotion request '" + r.id() + "'");
    }

    @Test
    void rejectedRequestsLeaveTheAliasAndAreLogged() throws Exception {
        FileSystemModelStore store = storeWithTwoVersions();
        store.policy(new AliasPolicy(List.of("production"), null));
        PromotionRequest r = store.requestPromotion("order-anomaly", "production", "v1", "ann", "try");
        assertThat(store.reject("order-anomaly", r.id(), "bob", "not yet")).isEqualTo(r);
        assertThat(store.aliases("order-anomaly").requests()).isEmpty();
        assertThat(store.aliases("order-anomaly").log().getLast())
                .extracting(AliasMove::action, AliasMove::by, AliasMove::reason).containsExactly("reject", "bob", "not yet");
        assertThatThrownBy(() -> store.requestPromotion("order-anomaly", "production", "v9", "ann", null))
                .hasMessageContaining("version 'v9'");
    }

    @Test
    @Tag("attack")
    void requestsAndReasonsAreBounded() throws Exception {
        FileSystemModelStore store = storeWithTwoVersions();
        assertThatThrownBy(() -> store.requestPromotion("order-anomaly", "production", "v1", "ann", "x".repeat(501)))
                .hasMessageContaining("at most 500 characters");
        assertThatThrownBy(() -> store.requestPromotion("order-anomaly", "production", "v1", "ann", "a\nb"))
                .hasMessageContaining("one line");
        for (int i = 0; i < AliasState.MAX_PENDING_REQUESTS; i++) {
            store.requestPromotion("order-anomaly", "production", "v1", "ann", null);
        }
        assertThatThrownBy(() -> store.requestPromotion("order-anomaly", "production", "v1", "ann", null))
                .hasMessageContaining("pending promotion requests (at most 20)");
        assertThatThrownBy(() -> store.attach("order-anomaly", "v1", "manifest.yaml", new byte[1]))
                .hasMessageContaining("not an attachment");
        assertThatThrownBy(() -> store.attach("order-anomaly", "v1", "../x", new byte[1]))
                .isInstanceOf(RegistryException.class);
    }

    @Test
    void attachmentsSitBesideTheVersion() throws Exception {
        FileSystemModelStore store = storeWithTwoVersions();
        assertThat(store.attachment("order-anomaly", "v1", "report.html")).isEmpty();
        store.attach("order-anomaly", "v1", "report.html", "<h1>r</h1>".getBytes());
        store.attach("order-anomaly", "v1", "report.html", "<h1>r2</h1>".getBytes());
        assertThat(store.attachment("order-anomaly", "v1", "report.html")).hasValueSatisfying(b -> assertThat(new String(b)).isEqualTo("<h1>r2</h1>"));
        assertThat(store.list()).hasSize(2);
    }
}
