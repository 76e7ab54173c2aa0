package io.skiplinobridge.sandbox.salesforce;

import java.util.List;

/**
 * A refused control API request, answered as RFC 9457 {@code application/problem+json} naming each
 * bad field ({@code [3].Email}) and why.
 */
class ControlProblem extends RuntimeException {

    record FieldProblem(String field, String code, String reason) {
    }

    private final int status;
    private final List<FieldProblem> problems;

    ControlProblem(int status, String detail, List<FieldProblem> problems) {
        super(detail);
        this.status = status;
        this.problems = List.copyOf(problems);
    }

    static ControlProblem badField(String field, String reason) {
        return new ControlProblem(400, field + ": " + reason, List.of(new FieldProblem(field, "INVALID", reason)));
    }

    static ControlProblem notFound(String what) {
        return new ControlProblem(404, what + " does not exist", List.of());
    }

    int status() {
        return status;
    }

    List<FieldProblem> problems() {
        return problems;
    }
}
