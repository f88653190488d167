// The catalog and customer repositories against each backend: what a store sync relies on
// (finding an object by its id in another system) and tenant isolation of those ids.
#include "database_fixture.hpp"
#include "modules/catalog/product_repository.hpp"
#include "modules/customers/customer_repository.hpp"

namespace kiln {
namespace {

using catalog::Product;
using catalog::ProductId;
using catalog::ProductRepository;
using customers::Customer;
using customers::CustomerId;
using customers::CustomerRepository;

class CatalogRepositoryTest : public testing::DatabaseTest {
  protected:
    static Product NewProduct(const std::string& sku, std::vector<common::ExternalRef> refs) {
        const Timestamp now = Now();
        return {.id = ProductId(NewUuidV7()),
                .sku = sku,
                .name = "Product " + sku,
                .description = "",
                .unit_price = {1999, "EUR"},
                .active = true,
                .stock_quantity = 3,
                .external_refs = std::move(refs),
                .created_at = now,
                .updated_at = now};
    }
};

TEST_F(CatalogRepositoryTest, FindByExternalRefFindsTheLinkedProductInItsTenantOnly) {
    const auto a = NewTenant("cat-a");
    const auto b = NewTenant("cat-b");
    const Product product = NewProduct("SKU-1", {{"shopify", "123"}, {"woocommerce", "9"}});
    {
        auto tx = db_->Begin();
        ProductRepository::Insert(db::TenantScope(tx, a.id), product);
        tx.Commit();
    }
    auto tx = db_->Begin({db::Access::kReadOnly, db::Visibility::kTenant});
    const db::TenantScope in_a(tx, a.id);
    const auto found = ProductRepository::FindByExternalRef(in_a, "shopify", "123");
    ASSERT_TRUE(found.has_value());
    EXPECT_EQ(found->id, product.id);
    EXPECT_EQ(found->unit_price, product.unit_price);
    EXPECT_EQ(found->external_refs, product.external_refs);
    EXPECT_FALSE(ProductRepository::FindByExternalRef(in_a, "shopify", "124").has_value());
    EXPECT_FALSE(ProductRepository::FindByExternalRef(in_a, "etsy", "123").has_value());
    EXPECT_FALSE(ProductRepository::FindByExternalRef(db::TenantScope(tx, b.id), "shopify", "123").has_value());
}

TEST_F(CatalogRepositoryTest, ReplacingReferencesFreesTheOldOnesAndDeleteRemovesThem) {
    const auto a = NewTenant("cat-c");
    Product product = NewProduct("SKU-2", {{"shopify", "1"}});
    auto tx = db_->Begin();
    const db::TenantScope scope(tx, a.id);
    ProductRepository::Insert(scope, product);
    product.external_refs = {{"shopify", "2"}};
    ProductRepository::Update(scope, product, true);
    EXPECT_FALSE(ProductRepository::FindByExternalRef(scope, "shopify", "1").has_value());
    EXPECT_TRUE(ProductRepository::FindByExternalRef(scope, "shopify", "2").has_value());
    // Another product cannot take a reference that is in use.
    EXPECT_THROW(ProductRepository::Insert(scope, NewProduct("SKU-3", {{"shopify", "2"}})), ValidationError);
}

TEST_F(CatalogRepositoryTest, CustomersAreFoundByExternalRefAfterDeleteNoLonger) {
    const auto a = NewTenant("cust-a");
    const Timestamp now = Now();
    const Customer customer{.id = CustomerId(NewUuidV7()),
                            .name = "Acme",
                            .email = "a@acme.test",
                            .phone = std::nullopt,
                            .billing_address = {{"country", "DE"}},
                            .external_refs = {{"quickbooks", "77"}},
                            .created_at = now,
                            .updated_at = now};
    auto tx = db_->Begin();
    const db::TenantScope scope(tx, a.id);
    CustomerRepository::Insert(scope, customer);
    const auto found = CustomerRepository::FindByExternalRef(scope, "quickbooks", "77");
    ASSERT_TRUE(found.has_value());
    EXPECT_EQ(found->email, customer.email);
    EXPECT_EQ(found->billing_address, customer.billing_address);
    CustomerRepository::Delete(scope, customer.id);
    EXPECT_FALSE(CustomerRepository::FindByExternalRef(scope, "quickbooks", "77").has_value());
}

}  // namespace
}  // namespace kiln
