/* What a decision writes, in ppolicy's output (effects.h). */
#include <inttypes.h>
#include <stdio.h>

#include "effects.h"
#include "json.h"
#include "output.h"

void ppc_json_effects(ppc_out *out, const pp_decision *d)
{
    ppc_puts(out, ",\"effects\":");
    ppc_json_names(out, d->effects, pp_effect_name);
    if (d->leaves_denied != 0)
        ppc_printf(out, ",\"leaves_denied\":%" PRIu32, d->leaves_denied);
    if (d->leaves_quarantine != 0)
        ppc_printf(out, ",\"leaves_quarantine\":%" PRIu32, d->leaves_quarantine);
}

void ppc_json_record(ppc_out *out, const pp_device *r)
{
    ppc_puts(out, "{\"id\":");
    ppc_json_string(out, r->id, r->id_len);
    ppc_puts(out, ",\"platform_id\":");
    if (r->platform_id == PP_PLATFORM_UNSPECIFIED)
        ppc_puts(out, "null");
    else
        ppc_printf(out, "%" PRIu32, r->platform_id);
    ppc_puts(out, ",\"sku\":");
    ppc_json_string(out, r->sku, r->sku_len);
    ppc_puts(out, ",\"device_os\":");
    ppc_json_string(out, r->device_os, r->device_os_len);
    ppc_printf(out, ",\"cloud_product_id\":%" PRIu32 ",\"firmware_product_id\":%" PRIu32 ",\"owner\":",
               r->cloud_product_id, r->firmware_product_id);
    ppc_json_string(out, r->owner, r->owner_len);
    ppc_printf(out, ",\"denied_in\":%" PRIu32 ",\"removed_from\":%" PRIu32 ",\"quarantined_in\":%" PRIu32
                    ",\"development\":%s,\"firmware_version\":%" PRIu32 "}",
               r->denied_in, r->removed_from, r->quarantined_in, r->development ? "true" : "false",
               r->firmware_version);
}

void ppc_text_names(ppc_out *out, uint32_t bits, const char *(*name)(int))
{
    int any = 0;
    for (int i = 0; i < 32; i++)
        if (bits & (1u << i)) {
            ppc_printf(out, "%s%s", any ? ", " : "", name(i) != NULL ? name(i) : "?");
            any = 1;
        }
    if (!any)
        ppc_puts(out, "none");
}

void ppc_text_effects(ppc_out *out, const pp_decision *d)
{
    ppc_text_names(out, d->effects, pp_effect_name);
    if (d->leaves_denied != 0)
        ppc_printf(out, " (leaves product %" PRIu32 "'s Denied list", d->leaves_denied);
    if (d->leaves_quarantine != 0)
        ppc_printf(out, "%s product %" PRIu32 "'s quarantine list",
                    d->leaves_denied != 0 ? "," : " (leaves", d->leaves_quarantine);
    if (d->leaves_denied != 0 || d->leaves_quarantine != 0)
        ppc_putc(out, ')');
}

static void text_string(ppc_out *out, int *any, const char *key, const char *s, size_t len)
{
    if (s == NULL)
        return;
    ppc_printf(out, "%s%s: ", *any ? ", " : "", key);
    ppc_json_string(out, s, len);
    *any = 1;
}

static void text_number(ppc_out *out, int *any, const char *key, uint32_t v)
{
    if (v == 0)
        return;
    ppc_printf(out, "%s%s: %" PRIu32, *any ? ", " : "", key, v);
    *any = 1;
}

void ppc_text_record(ppc_out *out, const pp_device *r)
{
    int any = 0;
    ppc_putc(out, '{');
    text_string(out, &any, "id", r->id, r->id_len);
    if (r->platform_id != PP_PLATFORM_UNSPECIFIED) {
        ppc_printf(out, "%splatform_id: %" PRIu32, any ? ", " : "", r->platform_id);
        any = 1;
    }
    text_string(out, &any, "sku", r->sku, r->sku_len);
    text_string(out, &any, "device_os", r->device_os, r->device_os_len);
    text_number(out, &any, "cloud_product_id", r->cloud_product_id);
    text_number(out, &any, "firmware_product_id", r->firmware_product_id);
    text_string(out, &any, "owner", r->owner, r->owner_len);
    text_number(out, &any, "denied_in", r->denied_in);
    text_number(out, &any, "removed_from", r->removed_from);
    text_number(out, &any, "quarantined_in", r->quarantined_in);
    if (r->development) {
        ppc_printf(out, "%sdevelopment: true", any ? ", " : "");
        any = 1;
    }
    text_number(out, &any, "firmware_version", r->firmware_version);
    ppc_putc(out, '}');
}
