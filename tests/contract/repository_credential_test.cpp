// CredentialRepository on the backend under test: data kept as given, never listed; filters,
// conditional updates, removal.
#include "contract_store.hpp"

#include <weft/runtime/repositories/credential_repository.hpp>

namespace weft::contract {
namespace {

class RepositoryCredentials : public DomainStoreTest {
 protected:
  void SetUp() override {
    DomainStoreTest::SetUp();
    if (HasFatalFailure()) return;
    credentials_ = std::make_unique<CredentialRepository>(*store_);
  }

  std::unique_ptr<CredentialRepository> credentials_;
};

TEST_F(RepositoryCredentials, DataIsReturnedByGetAndNeverByList) {
  const Json data = {{"token", "s3cr3t"}, {"nested", {{"a", Json::array({1, 2})}}}};
  auto c = credentials_->create({"GitHub", "httpBearer", "alice", data});
  ASSERT_TRUE(c.is_ok()) << c.status().to_string();
  EXPECT_EQ(c->data, data);
  auto got = credentials_->get(c->id);
  ASSERT_TRUE(got.is_ok());
  EXPECT_EQ(got->data, data);
  EXPECT_EQ(got->name, "GitHub");
  EXPECT_EQ(got->type, "httpBearer");
  EXPECT_EQ(got->owner, "alice");

  auto listed = credentials_->list({});
  ASSERT_TRUE(listed.is_ok());
  ASSERT_EQ(listed->items.size(), 1u);
  EXPECT_TRUE(listed->items[0].data.is_null());
  EXPECT_EQ(listed->items[0].name, "GitHub");
  EXPECT_EQ(credentials_->get("nope").status().code(), Code::kNotFound);
  EXPECT_EQ(credentials_->create({"", "t", "o", {}}).status().code(), Code::kInvalid);
  EXPECT_EQ(credentials_->create({"n", "", "o", {}}).status().code(), Code::kInvalid);
}

TEST_F(RepositoryCredentials, ListFiltersByOwnerAndTypeInNameOrder) {
  for (int i = 0; i < 9; ++i)
    ASSERT_TRUE(credentials_->create({"c" + std::to_string(8 - i), i % 2 ? "smtp" : "http",
                                      i % 3 ? "bob" : "alice", {{"i", i}}}).is_ok());
  CredentialFilter f;
  f.page.limit = 4;
  std::vector<std::string> names;
  for (;;) {
    auto p = credentials_->list(f);
    ASSERT_TRUE(p.is_ok()) << p.status().to_string();
    for (const auto& c : p->items) {
      names.push_back(c.name);
      EXPECT_TRUE(c.data.is_null());
    }
    if (p->next_cursor.empty()) break;
    f.page.cursor = p->next_cursor;
  }
  EXPECT_EQ(names, (std::vector<std::string>{"c0", "c1", "c2", "c3", "c4", "c5", "c6", "c7", "c8"}));
  CredentialFilter alice_http;
  alice_http.owner = "alice";
  alice_http.type = "http";
  auto p = credentials_->list(alice_http);
  ASSERT_TRUE(p.is_ok());
  EXPECT_EQ(p->items.size(), 2u);  // i = 0 and 6
}

TEST_F(RepositoryCredentials, UpdateIsConditionalAndRemoveDeletes) {
  auto c = credentials_->create({"n", "t", "o", {{"v", 1}}});
  ASSERT_TRUE(c.is_ok());
  auto updated = credentials_->update(c->id, {.data = Json{{"v", 2}}}, c->revision);
  ASSERT_TRUE(updated.is_ok()) << updated.status().to_string();
  EXPECT_EQ(updated->data, Json({{"v", 2}}));
  EXPECT_EQ(updated->name, "n");
  EXPECT_GT(updated->revision, c->revision);
  auto stale = credentials_->update(c->id, {.name = "m"}, c->revision);
  EXPECT_EQ(stale.status().code(), Code::kConflict);
  EXPECT_EQ(credentials_->get(c->id)->name, "n");
  EXPECT_EQ(credentials_->update("nope", {.name = "m"}, 1).status().code(), Code::kNotFound);
  EXPECT_EQ(credentials_->update(c->id, {.name = ""}, updated->revision).status().code(), Code::kInvalid);

  EXPECT_EQ(credentials_->remove(c->id, c->revision).code(), Code::kConflict);
  ASSERT_TRUE(credentials_->remove(c->id).is_ok());
  EXPECT_EQ(credentials_->get(c->id).status().code(), Code::kNotFound);
  EXPECT_EQ(credentials_->remove(c->id).code(), Code::kNotFound);
}

}  // namespace
}  // namespace weft::contract
