/* fl-titles.c — one-line, translated titles of alerts
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "fl-rules.h"

/**
 * fl_format_money:
 * @cny: an amount in CNY
 *
 * Formats @cny rounded to the yuan with thousands separators and the
 * translated unit, e.g. "80,000 CNY".
 *
 * Returns: (transfer full): the text
 */
char *
fl_format_money (double cny)
{
  g_autoptr(GString) digits = NULL;
  g_autofree char *plain = NULL;
  double rounded = round (cny);
  gboolean negative = rounded < 0;
  gsize len;

  if (!isfinite (rounded))
    rounded = 0;

  plain = g_strdup_printf ("%.0f", fabs (rounded));
  len = strlen (plain);
  digits = g_string_sized_new (len + len / 3 + 2);
  if (negative)
    g_string_append_c (digits, '-');
  for (gsize i = 0; i < len; i++)
    {
      if (i > 0 && (len - i) % 3 == 0)
        g_string_append_c (digits, ',');
      g_string_append_c (digits, plain[i]);
    }

  /* Translators: an amount of money in Chinese yuan; %s is the number with
   * thousands separators, e.g. "80,000 CNY" (zh_CN: "80,000 元") */
  return g_strdup_printf (_("%s CNY"), digits->str);
}

static char *
dup_customer_name (FlStore    *store,
                   const char *customer_id)
{
  g_autoptr(GError) error = NULL;
  FlCustomer *customer = fl_store_get_customer (store, customer_id, &error);
  char *name;

  if (customer == NULL)
    return g_strdup (customer_id);

  name = g_steal_pointer (&customer->name);
  fl_customer_free (customer);
  return name;
}

static char *
dup_category_name (FlStore    *store,
                   const char *category_id)
{
  g_autoptr(GError) error = NULL;
  FlProductCategory *category = fl_store_get_category (store, category_id, &error);
  char *name;

  if (category == NULL)
    return g_strdup (category_id);

  name = g_steal_pointer (&category->name);
  fl_product_category_free (category);
  return name;
}

/**
 * fl_alert_dup_title:
 * @store: the cache the alert was derived from (for names)
 * @alert: an alert
 *
 * Returns: (transfer full): a one-line, translated title such as
 *   "Customer 永康市华联超市: committed action missed at the last 2 visits"
 */
char *
fl_alert_dup_title (FlStore       *store,
                    const FlAlert *alert)
{
  g_return_val_if_fail (FL_IS_STORE (store), NULL);
  g_return_val_if_fail (alert != NULL, NULL);

  switch (alert->category)
    {
    case FL_ALERT_CHURN:
      {
        g_autofree char *name = dup_customer_name (store, alert->subject);

        /* Translators: a churn alert; %s is the customer's name */
        return g_strdup_printf (_("Customer %s: committed action missed at the last 2 visits"),
                                name);
      }

    case FL_ALERT_STALL:
      {
        g_autoptr(GError) error = NULL;
        FlOpportunity *opportunity = NULL;
        g_autofree char *name = NULL;
        g_autofree char *value = NULL;

        opportunity = fl_store_get_opportunity (store, alert->subject, &error);
        if (opportunity != NULL)
          {
            name = dup_customer_name (store, opportunity->customer);
            fl_opportunity_free (opportunity);
          }
        else
          name = g_strdup (alert->subject);
        value = fl_format_money (alert->value_at_risk);

        /* Translators: a stall alert; the first %s is the customer's name, the
         * second the opportunity's value (e.g. "80,000 CNY"), %d whole days */
        return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                             "Opportunity %s (%s): no progress for %d day",
                                             "Opportunity %s (%s): no progress for %d days",
                                             alert->days_stalled),
                                name, value, alert->days_stalled);
      }

    case FL_ALERT_GAP:
      {
        g_autofree char *region = fl_store_dup_region_name (store, alert->region);
        g_autofree char *category = dup_category_name (store, alert->subject);

        /* Translators: a team capability gap alert; the first %s is the region
         * (e.g. "金华市"), the second the product category; then the team's and
         * the province's conversion rates in the last complete week */
        return g_strdup_printf (_("Team %s × %s: conversion %.0f%% vs province %.0f%%"),
                                region != NULL ? region : alert->region, category,
                                alert->team_rate[1] * 100.0, alert->province_rate[1] * 100.0);
      }

    case FL_N_ALERT_CATEGORIES:
    default:
      g_return_val_if_reached (g_strdup (alert->id));
    }
}
