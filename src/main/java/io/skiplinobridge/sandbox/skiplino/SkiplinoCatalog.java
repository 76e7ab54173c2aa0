package io.skiplinobridge.sandbox.skiplino;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

import io.skiplinobridge.config.ConditionalOnSandbox;

import org.springframework.stereotype.Component;

/**
 * The seeded reference data of the sandbox company: branches, service groups and services. It is
 * fixed (a sandbox reset keeps it) and covers every case the docs describe: open and closed
 * branches, an inactive branch that the list hides, open and closed services, appointment-enabled
 * services, a group with only inactive services and a non-service group, both left out of the tree.
 *
 * <p>Branch and service opening is static rather than computed from opening hours, so that tests
 * and demos behave the same at any time of day.
 */
@Component
@ConditionalOnSandbox
class SkiplinoCatalog {

    record Branch(String id, Localized name, boolean active, boolean open) {
    }

    record ServiceGroup(String id, String branchId, Localized name, String type, boolean active) {
    }

    record Service(String id, String groupId, Localized name, boolean active, boolean open,
                   boolean appointment) {
    }

    static final String SEEF_MALL = "802b33af66";
    static final String MANAMA_CITY = "a41c07d2e9";
    static final String RIFFA_CLOSED = "5d3e8f1b70";
    static final String MUHARRAQ_INACTIVE = "9b0e4c6a13";

    static final String SEEF_TELLER_GROUP = "7c1f9a3b2d";
    static final String SEEF_CUSTOMER_SERVICE_GROUP = "4e2b8c1d95";
    static final String SEEF_CASH_WITHDRAWAL = "6fe8fb8b12";
    static final String SEEF_CASH_DEPOSIT_CLOSED = "3a9d2e7f40";
    static final String SEEF_ACCOUNT_OPENING = "8c4f1a6e2b";
    static final String SEEF_CARD_SERVICES = "2d7b9e3c58";
    static final String RIFFA_TELLER_GROUP = "1f4a6c8e03";
    static final String RIFFA_CASH_WITHDRAWAL = "b2d4f6a8c0";
    static final String RIFFA_CUSTOMER_SERVICE_GROUP = "7d9f1b3e52";
    static final String RIFFA_ACCOUNT_OPENING = "c3e5a7b9d1";

    private static final List<Branch> BRANCHES = List.of(
            new Branch(SEEF_MALL, new Localized("Seef Mall Branch", "فرع السيف مول"), true, true),
            new Branch(MANAMA_CITY, new Localized("Manama City Centre Branch", "فرع المنامة سيتي سنتر"), true, true),
            new Branch(RIFFA_CLOSED, new Localized("Riffa Branch", "فرع الرفاع"), true, false),
            new Branch(MUHARRAQ_INACTIVE, new Localized("Muharraq Branch", "فرع المحرق"), false, false));

    private static final List<ServiceGroup> GROUPS = List.of(
            new ServiceGroup(SEEF_TELLER_GROUP, SEEF_MALL, new Localized("Teller Services", "خدمات الصراف"), "service", true),
            new ServiceGroup(SEEF_CUSTOMER_SERVICE_GROUP, SEEF_MALL, new Localized("Customer Service", "خدمة العملاء"), "service", true),
            new ServiceGroup("e1f2a3b4c5", SEEF_MALL, new Localized("Loans", "القروض"), "service", true),
            new ServiceGroup("f0a1b2c3d4", SEEF_MALL, new Localized("Kiosk Printing", "طباعة الكشك"), "kiosk", true),
            new ServiceGroup("0b6d3f8e21", MANAMA_CITY, new Localized("Teller Services", "خدمات الصراف"), "service", true),
            new ServiceGroup("6c8e0a2f47", MANAMA_CITY, new Localized("Advisory", "الاستشارات"), "service", true),
            new ServiceGroup("a7c9e1b3d5", MANAMA_CITY, new Localized("Safe Deposit", "الخزائن"), "service", false),
            new ServiceGroup(RIFFA_TELLER_GROUP, RIFFA_CLOSED, new Localized("Teller Services", "خدمات الصراف"), "service", true),
            new ServiceGroup(RIFFA_CUSTOMER_SERVICE_GROUP, RIFFA_CLOSED, new Localized("Customer Service", "خدمة العملاء"), "service", true),
            new ServiceGroup("5a7c9e1f3b", MUHARRAQ_INACTIVE, new Localized("Teller Services", "خدمات الصراف"), "service", true));

    private static final List<Service> SERVICES = List.of(
            new Service(SEEF_CASH_WITHDRAWAL, SEEF_TELLER_GROUP, new Localized("Cash Withdrawal", "سحب نقدي"), true, true, false),
            new Service(SEEF_CASH_DEPOSIT_CLOSED, SEEF_TELLER_GROUP, new Localized("Cash Deposit", "إيداع نقدي"), true, false, false),
            new Service("4b6d8f0a2c", SEEF_TELLER_GROUP, new Localized("Cheque Clearing", "مقاصة الشيكات"), false, true, false),
            new Service(SEEF_ACCOUNT_OPENING, SEEF_CUSTOMER_SERVICE_GROUP, new Localized("Account Opening", "فتح حساب"), true, true, true),
            new Service(SEEF_CARD_SERVICES, SEEF_CUSTOMER_SERVICE_GROUP, new Localized("Card Services", "خدمات البطاقات"), true, true, true),
            new Service("9d1f3b5a7c", "e1f2a3b4c5", new Localized("Personal Loans", "القروض الشخصية"), false, true, true),
            new Service("8e0a2c4b6d", "f0a1b2c3d4", new Localized("Statement Printing", "طباعة كشف الحساب"), true, true, false),
            new Service("5e1a7c9d34", "0b6d3f8e21", new Localized("Cash Withdrawal", "سحب نقدي"), true, true, false),
            new Service("9f3b5d7e16", "6c8e0a2f47", new Localized("Financial Advice", "الاستشارات المالية"), true, true, true),
            new Service("d4f6b8a0c2", "a7c9e1b3d5", new Localized("Locker Access", "الوصول إلى الخزنة"), true, true, false),
            new Service(RIFFA_CASH_WITHDRAWAL, RIFFA_TELLER_GROUP, new Localized("Cash Withdrawal", "سحب نقدي"), true, true, false),
            new Service(RIFFA_ACCOUNT_OPENING, RIFFA_CUSTOMER_SERVICE_GROUP, new Localized("Account Opening", "فتح حساب"), true, true, true),
            new Service("e5a7c9b1d3", "5a7c9e1f3b", new Localized("Cash Withdrawal", "سحب نقدي"), true, true, false));

    private final Map<String, Branch> branches = index(BRANCHES, Branch::id);
    private final Map<String, ServiceGroup> groups = index(GROUPS, ServiceGroup::id);
    private final Map<String, Service> services = index(SERVICES, Service::id);

    List<Branch> activeBranches() {
        return BRANCHES.stream().filter(Branch::active).toList();
    }

    Optional<Branch> activeBranch(String id) {
        return Optional.ofNullable(id == null ? null : branches.get(id)).filter(Branch::active);
    }

    /** The groups a branch's tree shows: active, of type {@code service}, with at least one active service. */
    List<ServiceGroup> treeGroups(String branchId) {
        return GROUPS.stream()
                .filter(g -> g.branchId().equals(branchId) && g.active() && "service".equals(g.type()))
                .filter(g -> !activeServices(g.id()).isEmpty())
                .toList();
    }

    List<Service> activeServices(String groupId) {
        return SERVICES.stream().filter(s -> s.groupId().equals(groupId) && s.active()).toList();
    }

    /** A service a client may book: active, in an active service group of an active branch. */
    Optional<Service> bookableService(String id) {
        return Optional.ofNullable(id == null ? null : services.get(id))
                .filter(Service::active)
                .filter(s -> group(s).active() && "service".equals(group(s).type()) && branchOf(s).active());
    }

    ServiceGroup group(Service service) {
        return groups.get(service.groupId());
    }

    Branch branchOf(Service service) {
        return branches.get(group(service).branchId());
    }

    /** Open now: the service's own switch and its branch's. */
    boolean isOpen(Service service) {
        return service.open() && branchOf(service).open();
    }

    List<Service> bookableServices() {
        return SERVICES.stream().filter(s -> bookableService(s.id()).isPresent()).toList();
    }

    private static <T> Map<String, T> index(List<T> items, Function<T, String> id) {
        return items.stream().collect(Collectors.toUnmodifiableMap(id, Function.identity()));
    }
}
