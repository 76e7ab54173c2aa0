package io.skiplinobridge.skiplino;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Turns a refused start into Spring Boot's short "APPLICATION FAILED TO START" report, without a stack trace. */
class SkiplinoStartupFailureAnalyzer extends AbstractFailureAnalyzer<SkiplinoStartupRefusedException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, SkiplinoStartupRefusedException cause) {
        return new FailureAnalysis(cause.getMessage(), cause.action(), cause);
    }
}
