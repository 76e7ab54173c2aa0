package io.skiplinobridge.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.UUID;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * This process's name in leases and processing history: {@code bridge.instance-id} when set,
 * otherwise host name, pid and a random suffix, so a restarted process never mistakes an old lease of
 * its previous life for its own.
 */
@Component
public class InstanceId {

    private final String value;

    InstanceId(@Value("${bridge.instance-id:}") String configured) {
        this.value = configured.isBlank() ? generated() : configured;
    }

    public String value() {
        return value;
    }

    @Override
    public String toString() {
        return value;
    }

    private static String generated() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = "unknown-host";
        }
        return host + "-" + ProcessHandle.current().pid() + "-" + UUID.randomUUID().toString().substring(0, 8);
    }
}
