/* Did-you-mean suggestions.  A typo is usually one or two edits away, and a
 * swapped pair of letters ("fmaily") is one edit, hence optimal string
 * alignment rather than plain Levenshtein.  Only error paths call this. */
#include "internal.h"

#include "suggest.h"

static unsigned char fold(char c)
{
    return c >= 'A' && c <= 'Z' ? (unsigned char)(c - 'A' + 'a') : (unsigned char)c;
}

size_t ppi_edit_distance(const char *a, size_t n, const char *b, size_t m,
                         size_t limit)
{
    if (n > PPI_SUGGEST_MAX_LEN || m > PPI_SUGGEST_MAX_LEN ||
        (n > m ? n - m : m - n) > limit)
        return limit + 1;
    size_t rows[3][PPI_SUGGEST_MAX_LEN + 1];
    size_t *before = rows[0], *prev = rows[1], *cur = rows[2];
    for (size_t j = 0; j <= m; j++)
        prev[j] = j;
    for (size_t i = 1; i <= n; i++) {
        cur[0] = i;
        size_t row_min = i;
        for (size_t j = 1; j <= m; j++) {
            unsigned char ca = fold(a[i - 1]), cb = fold(b[j - 1]);
            size_t d = prev[j - 1] + (ca != cb);
            if (prev[j] + 1 < d)
                d = prev[j] + 1;
            if (cur[j - 1] + 1 < d)
                d = cur[j - 1] + 1;
            if (i > 1 && j > 1 && ca == fold(b[j - 2]) && fold(a[i - 2]) == cb &&
                before[j - 2] + 1 < d)
                d = before[j - 2] + 1;
            cur[j] = d;
            if (d < row_min)
                row_min = d;
        }
        /* Rows never get cheaper than the previous row's minimum (a
         * transposition costs no less than the substitution path beside
         * it), so the distance is already out of reach. */
        if (row_min > limit)
            return limit + 1;
        size_t *t = before;
        before = prev;
        prev = cur;
        cur = t;
    }
    return prev[m] > limit ? limit + 1 : prev[m];
}

void ppi_suggest_init(ppi_suggest *s, const char *word, size_t len)
{
    s->word = word;
    s->len = len;
    s->limit = len / 3 > 1 ? len / 3 : 1;
    s->best = NULL;
    s->best_len = 0;
    s->best_distance = s->limit + 1;
}

void ppi_suggest_offer(ppi_suggest *s, const char *candidate, size_t len)
{
    if (candidate == NULL || s->best_distance == 0)
        return;
    /* Only a strictly closer candidate replaces the best: ties keep the
     * first, so suggestions do not depend on anything but list order. */
    size_t d = ppi_edit_distance(s->word, s->len, candidate, len,
                                 s->best_distance - 1);
    if (d < s->best_distance) {
        s->best = candidate;
        s->best_len = len;
        s->best_distance = d;
    }
}
