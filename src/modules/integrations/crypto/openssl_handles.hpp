#pragma once

#include <openssl/bio.h>
#include <openssl/evp.h>

#include <memory>

namespace kiln::integrations::signatures {

/// Calls an OpenSSL `*_free` function, so each OpenSSL object is owned by a std::unique_ptr and freed on every
/// path, including early returns and exceptions.
template <auto kFree>
struct OpenSslDeleter {
    template <typename T>
    void operator()(T* object) const {
        kFree(object);
    }
};

using EvpPkeyPtr = std::unique_ptr<EVP_PKEY, OpenSslDeleter<&EVP_PKEY_free>>;
using EvpMdCtxPtr = std::unique_ptr<EVP_MD_CTX, OpenSslDeleter<&EVP_MD_CTX_free>>;
using BioPtr = std::unique_ptr<BIO, OpenSslDeleter<&BIO_free_all>>;

}  // namespace kiln::integrations::signatures
