# Unity builds (KILN_UNITY=ON, the default for CI's trees): CMake compiles the sources of each library in batches,
# so the heavy headers (nlohmann/json, asio, libpqxx) are parsed once per batch instead of once per file. The
# sources below stay separate: their file-local names (the SQL constants every repository calls kInsert or
# kColumns, helper functions of the same name) or their anonymous-namespace types would collide in one batch. Every
# repository (src/**/*_repository.cpp: each names its statements kInsert, kList, …) stays separate by rule, so that
# a new file, which moves the batches, cannot put two of them together; the others are listed.
set(KILN_UNITY_SEPARATE_SOURCES
    src/egress/outbound_client.cpp
    src/modules/billing/payment_routes.cpp
    src/modules/common/json_schema.cpp
    src/modules/integrations/provider_endpoints.cpp
    src/modules/integrations/providers/razorpay/razorpay_gateway.cpp
    src/modules/integrations/providers/stripe/stripe_gateway.cpp
    src/modules/tenancy/role_grants.cpp
    src/modules/webhooks/subscription.cpp
    tests/integration/fake_providers/fake_docusign.cpp
    tests/integration/fake_providers/fake_sendgrid.cpp
    tests/integration/fake_providers/fake_ses.cpp
    tests/integration/fake_providers/fake_shopify.cpp
    tests/integration/fake_providers/fake_smtp.cpp
    tests/integration/fake_providers/fake_twilio.cpp
    tests/integration/integrations_test.cpp)

function(kiln_unity_build target)
  if(NOT KILN_UNITY)
    return()
  endif()
  set_target_properties(${target} PROPERTIES UNITY_BUILD ON UNITY_BUILD_BATCH_SIZE 12)
  list(TRANSFORM KILN_UNITY_SEPARATE_SOURCES PREPEND ${CMAKE_SOURCE_DIR}/ OUTPUT_VARIABLE separate)
  file(GLOB_RECURSE repositories CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/src/*_repository.cpp)
  list(APPEND separate ${repositories})
  set_source_files_properties(${separate} TARGET_DIRECTORY ${target} PROPERTIES SKIP_UNITY_BUILD_INCLUSION ON)
endfunction()
