package com.orderintel.registryserver;

import com.orderintel.registry.lifecycle.LifecycleEvent;
import com.orderintel.registry.lifecycle.LifecycleEvents;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** One running server on the shared fixture for every test class of the module (one Spring context). */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@org.springframework.boot.test.autoconfigure.web.servlet.AutoConfigureMockMvc
@Import(ServerTestBase.RecordedEvents.class)
public abstract class ServerTestBase {

    public static final String PUBLIC_URL = "http://registry.test:8085";

    @LocalServerPort
    protected int port;

    protected static ConsoleFixture fixture() {
        return ConsoleFixture.get();
    }

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry r) {
        ConsoleFixture f = fixture();
        r.add("registry.uri", () -> f.registry);
        r.add("registry.datasets-uri", () -> f.datasets);
        r.add("registry.public-url", () -> PUBLIC_URL);
        r.add("registry.approval", () -> "production");
        r.add("registry.security.users", f::users);
        r.add("registry.capture.url", f.database::url);
        r.add("registry.capture.username", () -> "postgres");
    }

    protected String base() {
        return "http://127.0.0.1:" + port;
    }

    /** Lifecycle events the server published, in order (the real publisher is another bean; this one records). */
    @TestConfiguration
    public static class RecordedEvents {
        public static final List<LifecycleEvent> EVENTS = new CopyOnWriteArrayList<>();

        @Bean
        LifecycleEvents recordingLifecycleEvents() {
            return EVENTS::add;
        }
    }
}
