// Installs the credential types the shipped weft.http_request plugin declares, as `weft serve`
// does at start (Services::create), before any test of this binary runs: the vault seals and
// the API validates by the installed types.
#include "credentials/credential_types.hpp"

#include <weft/runtime/plugin_host.hpp>

#include <gtest/gtest.h>

namespace weft::credentials {
namespace {

class InstalledCredentialTypes : public ::testing::Environment {
 public:
  void SetUp() override {
    static PluginHost host;  // the types point at plugin info it owns: kept for the process
    Status st = host.load_file(std::string(WEFT_TEST_PLUGIN_DIR) + "/weft_http_request.so");
    ASSERT_TRUE(st.is_ok()) << st.message();
    install_credential_types(host);
  }
};

[[maybe_unused]] ::testing::Environment* const kInstalled =
    ::testing::AddGlobalTestEnvironment(new InstalledCredentialTypes);

}  // namespace
}  // namespace weft::credentials
