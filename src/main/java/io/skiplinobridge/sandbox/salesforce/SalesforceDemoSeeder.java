package io.skiplinobridge.sandbox.salesforce;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

import io.skiplinobridge.config.ConditionalOnFlows;
import io.skiplinobridge.config.ConditionalOnSandbox;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.stereotype.Component;

/**
 * Demo contacts for {@code ./mvnw spring-boot:run}: Bahraini and Gulf customers, some written in
 * Arabic, most with a Bahraini mobile, some with only a landline. Created before Camel starts, so the
 * first poll finds them. Absent under {@code sandbox-only}, which starts empty.
 */
@Component
@ConditionalOnSandbox
@ConditionalOnFlows
class SalesforceDemoSeeder implements SmartInitializingSingleton {

    private static final Logger log = LoggerFactory.getLogger(SalesforceDemoSeeder.class);

    private record Person(String firstName, String lastName, String arabicFirstName, String arabicLastName) {
    }

    private static final List<Person> PEOPLE = List.of(
            new Person("Layla", "Hassan", "ليلى", "حسن"),
            new Person("Ahmed", "Al Jalahma", "أحمد", "الجلاهمة"),
            new Person("Fatima", "Al Mannai", "فاطمة", "المناعي"),
            new Person("Mohammed", "Al Doseri", "محمد", "الدوسري"),
            new Person("Noora", "Fakhro", "نورة", "فخرو"),
            new Person("Khalid", "Kanoo", "خالد", "كانو"),
            new Person("Maryam", "Al Zayani", "مريم", "الزياني"),
            new Person("Yusuf", "Janahi", "يوسف", "جناحي"),
            new Person("Aisha", "Al Aali", "عائشة", "العالي"),
            new Person("Hamad", "Bukhammas", "حمد", "بوخماس"),
            new Person("Zainab", "Al Sayed", "زينب", "السيد"),
            new Person("Salman", "Nass", "سلمان", "ناس"),
            new Person("Reem", "Al Mahmood", "ريم", "المحمود"),
            new Person("Omar", "Abdulla", "عمر", "عبدالله"),
            new Person("Huda", "Al Qassab", "هدى", "القصاب"),
            new Person("Ali", "Al Ghatam", "علي", "الغتم"));
    private static final List<String> CITIES = List.of("Manama", "Muharraq", "Riffa", "Isa Town", "Hamad Town", "Sitra");
    private static final List<String> DOMAINS = List.of("example.com", "example.net", "example.org");

    private final SObjectWriter writer;
    private final int count;

    SalesforceDemoSeeder(SObjectWriter writer, SalesforceSandboxProperties properties) {
        this.writer = writer;
        this.count = properties.seedContacts();
    }

    @Override
    public void afterSingletonsInstantiated() {
        if (count > 0) {
            writer.insertAll("Contact", demoContacts(count));
            log.info("Salesforce sandbox: seeded {} demo contacts", count);
        }
    }

    /** Deterministic, so every demo run shows the same customers. */
    static List<Map<String, Object>> demoContacts(int count) {
        Random random = new Random(973);
        List<Map<String, Object>> contacts = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            Person person = PEOPLE.get(i % PEOPLE.size());
            int round = i / PEOPLE.size();
            boolean arabic = i % 3 == 2;
            Map<String, Object> contact = new LinkedHashMap<>();
            contact.put("FirstName", arabic ? person.arabicFirstName() : person.firstName());
            contact.put("LastName", arabic ? person.arabicLastName() : person.lastName());
            String local = (person.firstName() + "." + person.lastName()).toLowerCase(Locale.ROOT).replace(" ", "")
                    + (round == 0 ? "" : Integer.toString(round + 1));
            contact.put("Email", local + "@" + DOMAINS.get(i % DOMAINS.size()));
            if (i % 5 == 4) {
                contact.put("Phone", String.format("+973 17%02d %04d", random.nextInt(100), random.nextInt(10_000)));
            } else if (i % 11 == 7) {
                contact.put("MobilePhone", String.format("+966 5%d %03d %04d", random.nextInt(10), random.nextInt(1000),
                        random.nextInt(10_000)));
            } else {
                contact.put("MobilePhone", String.format("+973 3%d%02d %04d", 3 + random.nextInt(7), random.nextInt(100),
                        random.nextInt(10_000)));
            }
            contact.put("MailingCity", CITIES.get(i % CITIES.size()));
            contact.put("MailingCountry", "Bahrain");
            contacts.add(contact);
        }
        return contacts;
    }
}
