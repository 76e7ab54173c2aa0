package io.skiplinobridge.skiplino;

/**
 * What Skiplino answered, before classification.
 *
 * @param retryAfter the raw {@code Retry-After} header, or null
 * @param body       never null (empty when there was none)
 */
record HttpReply(int status, String contentType, String retryAfter, byte[] body) {

    HttpReply {
        body = body == null ? new byte[0] : body;
    }
}
