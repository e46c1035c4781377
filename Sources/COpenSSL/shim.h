// The distribution's OpenSSL (libssl-dev), the same TLS and crypto library Node itself is built on.
#ifndef NODENET_COPENSSL_SHIM_H
#define NODENET_COPENSSL_SHIM_H
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#endif
