package io.skiplinobridge.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.skiplinobridge.sync.MappingProperties.ClearedFieldPolicy;
import io.skiplinobridge.sync.MappingProperties.InvalidValuePolicy;
import org.junit.jupiter.api.Test;

class CustomerMapperTest {

    private static MappingProperties properties(InvalidValuePolicy invalid, Map<String, String> staticMetadata,
                                                List<String> exclude) {
        return new MappingProperties("BH", ClearedFieldPolicy.NULL, true, invalid, invalid,
                new MappingProperties.Metadata(staticMetadata, exclude));
    }

    private final CustomerMapper mapper = new CustomerMapper(properties(InvalidValuePolicy.REJECT, Map.of(), List.of()));

    @Test
    void normalisesNameEmailAndMobile() {
        CustomerMapper.Result result = mapper.map(new CanonicalCustomer("crm-7741", "  Layla   Hassan ",
                " Layla.Hassan@Example.com ", "3344 5566", Map.of("tier", "gold")));

        assertThat(result.valid()).isTrue();
        assertThat(result.customer()).isEqualTo(new MappedCustomer("crm-7741", "Layla Hassan",
                "layla.hassan@example.com", "+97333445566", Map.of("tier", "gold")));
    }

    @Test
    void keepsInternationalNumbersFromOtherRegions() {
        assertThat(mapper.map(new CanonicalCustomer("c", null, null, "+966 50 123 4567", null)).customer().mobile())
                .isEqualTo("+966501234567");
    }

    @Test
    void rejectsInvalidEmailAndMobileNamingTheFields() {
        CustomerMapper.Result result = mapper.map(new CanonicalCustomer("crm-1", "A", "not-an-email", "12", null));

        assertThat(result.valid()).isFalse();
        assertThat(result.errors()).extracting(FieldError::field).containsExactly("customer.email", "customer.mobile");
    }

    @Test
    void dropsInvalidValuesWhenConfiguredTo() {
        CustomerMapper lenient = new CustomerMapper(properties(InvalidValuePolicy.DROP, Map.of(), List.of()));

        CustomerMapper.Result result = lenient.map(new CanonicalCustomer("crm-1", "A", "bad@", "12", null));

        assertThat(result.valid()).isTrue();
        assertThat(result.customer().email()).isNull();
        assertThat(result.customer().mobile()).isNull();
    }

    @Test
    void rejectsMissingOrControlCharacterExternalIds() {
        assertThat(mapper.map(new CanonicalCustomer(" ", null, null, null, null)).errors())
                .containsExactly(new FieldError("customer.externalId", "is required"));
        assertThat(mapper.map(new CanonicalCustomer("a\u0000b", null, null, null, null)).errors())
                .extracting(FieldError::message).containsExactly("contains control characters");
    }

    @Test
    void blankValuesMeanNoValue() {
        MappedCustomer customer = mapper.map(new CanonicalCustomer("crm-1", "  ", "", " ", null)).customer();

        assertThat(customer.name()).isNull();
        assertThat(customer.email()).isNull();
        assertThat(customer.mobile()).isNull();
    }

    @Test
    void addsStaticMetadataLetsCrmValuesWinAndExcludesKeys() {
        CustomerMapper configured = new CustomerMapper(properties(InvalidValuePolicy.REJECT,
                Map.of("source", "crm", "tier", "none"), List.of("internalNote")));
        Map<String, Object> crm = new LinkedHashMap<>();
        crm.put("tier", "gold");
        crm.put("internalNote", "do not share");
        crm.put("gone", null);

        Map<String, Object> metadata = configured.map(new CanonicalCustomer("crm-1", null, null, null, crm))
                .customer().metadata();

        assertThat(metadata).containsOnly(Map.entry("source", "crm"), Map.entry("tier", "gold"));
    }

    @Test
    void refusesAnUnknownDefaultRegion() {
        assertThatThrownBy(() -> new CustomerMapper(new MappingProperties("XX", ClearedFieldPolicy.NULL, true,
                InvalidValuePolicy.REJECT, InvalidValuePolicy.REJECT, new MappingProperties.Metadata(null, null))))
                .hasMessageContaining("default-region 'XX'");
    }

    @Test
    void keepsArabicNamesAndEmojiExactly() {
        assertThat(mapper.map(new CanonicalCustomer("crm-ar", "ليلى حسن 🌙", null, null, null)).customer().name())
                .isEqualTo("ليلى حسن 🌙");
    }
}
