package com.orderintel.registryserver;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.web.servlet.MockMvc;

import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.flash;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/** The console's forms need Spring Security's CSRF token and role promoter. */
class ConsoleCsrfTest extends ServerTestBase {

    @Autowired
    MockMvc mvc;

    @Test
    @Tag("attack")
    void aFormWithoutTheCsrfTokenIsRefused() throws Exception {
        mvc.perform(post("/console/models/order-anomaly/promote").param("alias", "staging").param("version", "v1")
                        .with(user(ConsoleFixture.ANN).roles("PROMOTER")))
                .andExpect(status().isForbidden());
        mvc.perform(post("/console/models/order-anomaly/promote").param("alias", "staging").param("version", "v2")
                        .with(user(ConsoleFixture.READER).roles("READ")).with(csrf()))
                .andExpect(status().isForbidden());
        mvc.perform(post("/console/models/order-anomaly/promote").param("alias", "production").param("version", "v2")
                        .with(user(ConsoleFixture.ANN).roles("PROMOTER")).with(csrf()))
                .andExpect(status().is3xxRedirection())
                .andExpect(flash().attribute("refused", org.hamcrest.Matchers.containsString("is guarded")));
    }
}
