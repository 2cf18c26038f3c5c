// placementd: the placement ledger server, on the real file system.
#include "services/placementd/run.h"

int main(int argc, char** argv) { return placement::placementd::run_placementd(argc, argv, /*storage_env=*/nullptr); }
