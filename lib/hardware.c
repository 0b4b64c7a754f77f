/* The built-in hardware table: every Particle platform, the SKU prefixes that
 * name them, and the device families (docs/spec.md §5).  Data only; the
 * lookups are in family.c.
 *
 * Sources, as docs/hardware.md lists them with the choices made:
 * - platforms: the npm package @particle/device-constants 4.2.1
 *   (src/constants.json: id, name, productEligible);
 * - SKUs: the `skus` entries with a platformId in src/assets/files/
 *   carriers.json of github.com/particle-iot/docs at commit 0176b5e3 (and
 *   the Electron 2 SKUs of the earlier revision 3b3ed953).
 * scripts/hardware-diff.py prints every difference between this table and
 * fresh copies of both sources. */
#include "internal.h"

/* Built-in family indexes, in the order pp_family_name lists them: new
 * families go last so that existing indexes keep their meaning. */
enum {
    NOFAM = -1, /* not product-eligible, or the SKU decides */
    PHOTON, P1, ELECTRON, ARGON, BORON, ESOMX, BSOM, B5SOM, TRACKER, TRACKERM,
    P2, PHOTON2, MSOM, ELECTRON2, SULU, TACHYON, LINUX,
    NFAMILIES
};

static const char *const family_names[NFAMILIES] = {
    [PHOTON] = "photon",     [P1] = "p1",         [ELECTRON] = "electron",
    [ARGON] = "argon",       [BORON] = "boron",   [ESOMX] = "esomx",
    [BSOM] = "bsom",         [B5SOM] = "b5som",   [TRACKER] = "tracker",
    [TRACKERM] = "trackerm", [P2] = "p2",         [PHOTON2] = "photon2",
    [MSOM] = "msom",         [ELECTRON2] = "electron2",
    [SULU] = "sulu",         [TACHYON] = "tachyon", [LINUX] = "linux",
};

/* Every platform of device-constants, by ID.  A product-eligible platform
 * is its own family, except platform 32 (P2 and Photon 2), whose SKUs
 * decide. */
static const ppi_platform platforms[] = {
    {   0, "core",      false, NOFAM },
    {   3, "gcc",       false, NOFAM },
    {   6, "photon",    true,  PHOTON },
    {   8, "p1",        true,  P1 },
    {  10, "electron",  true,  ELECTRON },
    {  11, "esp32",     false, NOFAM },
    {  12, "argon",     true,  ARGON },
    {  13, "boron",     true,  BORON },
    {  14, "xenon",     false, NOFAM },
    {  15, "esomx",     true,  ESOMX },
    {  22, "asom",      false, NOFAM },
    {  23, "bsom",      true,  BSOM },
    {  24, "xsom",      false, NOFAM },
    {  25, "b5som",     true,  B5SOM },
    {  26, "tracker",   true,  TRACKER },
    {  28, "trackerm",  true,  TRACKERM },
    {  31, "raspi",     false, NOFAM },
    {  32, "p2",        true,  NOFAM },
    {  35, "msom",      true,  MSOM },
    {  37, "electron2", true,  ELECTRON2 },
    {  38, "sulu",      true,  SULU },
    {  42, "tachyon",   true,  TACHYON },
    {  43, "linux",     true,  LINUX },
    {  82, "oak",       false, NOFAM },
    {  88, "duo",       false, NOFAM },
    { 103, "bluz",      false, NOFAM },
};

/* Upper case; the longest case-insensitive prefix of a SKU wins.  A prefix
 * carries its own family: it differs from its platform's only on platform
 * 32, where P2 and Photon 2 must stay apart. */
#define SKU(prefix, platform, family) \
    { prefix, (uint32_t)(sizeof prefix - 1), platform, family, -1 }

static const ppi_sku skus[] = {
    /* Photon, its P0 module, the Internet Button (a Photon inside) */
    SKU("PHOTON", 6, PHOTON), SKU("PHN", 6, PHOTON), SKU("P0", 6, PHOTON),
    SKU("SPKBTTN", 6, PHOTON),
    SKU("P1", 8, P1),
    /* Electron E260/E270/E350, E Series E310/E313/E314/E402/E404,
     * ELC314/402/404, and the Electron-based Asset Tracker and sensor kits.
     * The E404X is platform 15. */
    SKU("E2", 10, ELECTRON), SKU("E3", 10, ELECTRON), SKU("E4", 10, ELECTRON),
    SKU("ELC", 10, ELECTRON), SKU("ASSET2G", 10, ELECTRON),
    SKU("ASSET3G", 10, ELECTRON), SKU("SNSRKIT3G", 10, ELECTRON),
    SKU("ARG", 12, ARGON),
    SKU("BRN", 13, BORON),
    SKU("XEN", 14, NOFAM),
    SKU("E404X", 15, ESOMX),
    /* B402, B404, B404X */
    SKU("B40", 23, BSOM),
    /* B504, B504E, B523, B524 */
    SKU("B5", 25, B5SOM),
    /* Tracker SoM T402/T404/T523/T524, Tracker One ONE4xx/ONE5xx, Monitor One */
    SKU("ONE", 26, TRACKER), SKU("T4", 26, TRACKER), SKU("T5", 26, TRACKER),
    SKU("MON", 26, TRACKER),
    SKU("P2", 32, P2), SKU("PHN2", 32, PHOTON2),
    /* M-SoM M404/M524/M635 and Muon */
    SKU("M4", 35, MSOM), SKU("M5", 35, MSOM), SKU("M6", 35, MSOM),
    SKU("MUON", 35, MSOM),
    /* ELC504EM, ELC524EM */
    SKU("ELC5", 37, ELECTRON2),
};

const ppi_hardware ppi_builtin_hardware = {
    platforms, (uint32_t)(sizeof platforms / sizeof platforms[0]),
    skus, (uint32_t)(sizeof skus / sizeof skus[0]),
    family_names, NFAMILIES,
};
