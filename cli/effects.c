/* What a decision writes, in ppolicy's output (effects.h). */
#include <inttypes.h>
#include <stdio.h>

#include "effects.h"
#include "json.h"
#include "output.h"

/* ,"KEY":N (key with its quotes and colon: ",\"denied_in\":"). */
static void put_number(ppc_out *out, const char *key, size_t key_len, uint32_t v)
{
    ppc_put(out, key, key_len);
    ppc_put_u64(out, v);
}
#define PUT_NUMBER(out, key, v) put_number((out), (key), sizeof(key) - 1, (v))

void ppc_json_leaves(ppc_out *out, const pp_decision *d)
{
    if (d->leaves_denied != 0)
        PUT_NUMBER(out, ",\"leaves_denied\":", d->leaves_denied);
    if (d->leaves_quarantine != 0)
        PUT_NUMBER(out, ",\"leaves_quarantine\":", d->leaves_quarantine);
}

void ppc_json_record(ppc_out *out, const pp_device *r)
{
    PPC_PUTS(out, "{\"id\":");
    ppc_json_string(out, r->id, r->id_len);
    if (r->platform_id == PP_PLATFORM_UNSPECIFIED)
        PPC_PUTS(out, ",\"platform_id\":null");
    else
        PUT_NUMBER(out, ",\"platform_id\":", r->platform_id);
    PPC_PUTS(out, ",\"sku\":");
    ppc_json_string(out, r->sku, r->sku_len);
    PPC_PUTS(out, ",\"device_os\":");
    ppc_json_string(out, r->device_os, r->device_os_len);
    PUT_NUMBER(out, ",\"cloud_product_id\":", r->cloud_product_id);
    PUT_NUMBER(out, ",\"firmware_product_id\":", r->firmware_product_id);
    PPC_PUTS(out, ",\"owner\":");
    ppc_json_string(out, r->owner, r->owner_len);
    PUT_NUMBER(out, ",\"denied_in\":", r->denied_in);
    PUT_NUMBER(out, ",\"removed_from\":", r->removed_from);
    PUT_NUMBER(out, ",\"quarantined_in\":", r->quarantined_in);
    if (r->development)
        PPC_PUTS(out, ",\"development\":true");
    else
        PPC_PUTS(out, ",\"development\":false");
    PUT_NUMBER(out, ",\"firmware_version\":", r->firmware_version);
    ppc_putc(out, '}');
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
