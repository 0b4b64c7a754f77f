/* Did-you-mean: the known word closest to an unknown one, for error
 * messages about keys, enum values and names. */
#ifndef PPI_SUGGEST_H
#define PPI_SUGGEST_H

#include "internal.h"

/* Words longer than this get no suggestion (keeps the distance table on the
 * stack and the error path cheap). */
#define PPI_SUGGEST_MAX_LEN 64

/* Optimal-string-alignment (restricted Damerau-Levenshtein) distance between
 * a and b, ASCII case-insensitive, counted in bytes.  Returns limit + 1 when
 * the distance exceeds limit or either word is longer than
 * PPI_SUGGEST_MAX_LEN. */
size_t ppi_edit_distance(const char *a, size_t a_len, const char *b,
                         size_t b_len, size_t limit);

/* Usage: init with the unknown word, offer every candidate, then ask for the
 * best: the first closest candidate at distance <= max(1, len / 3). */
typedef struct ppi_suggest {
    const char *word;
    size_t len;
    size_t limit;
    const char *best;     /* NULL until a candidate is close enough */
    size_t best_len;
    size_t best_distance;
} ppi_suggest;

void ppi_suggest_init(ppi_suggest *s, const char *word, size_t len);
void ppi_suggest_offer(ppi_suggest *s, const char *candidate, size_t len);

#endif /* PPI_SUGGEST_H */
