/* fl-status.c — the status document of FORMATS.md §3 (--print-status)
 *
 * The document is built as a JsonNode tree (easy to extend) and written by
 * a small pretty-printer of our own: json-glib writes doubles with 17
 * significant digits ("1234.5599999999999"), we write the shortest form that
 * reads back to the same double ("1234.56", "80000.0").
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include "fl-rules.h"
#include "fl-suggest.h"
#include "fl-time.h"

#define STATUS_FORMAT  "fieldlight-status"
#define STATUS_VERSION 1

static void
append_string (GString    *out,
               const char *str)
{
  g_string_append_c (out, '"');
  for (const guchar *p = (const guchar *) str; *p != '\0'; p++)
    {
      switch (*p)
        {
        case '"':  g_string_append (out, "\\\""); break;
        case '\\': g_string_append (out, "\\\\"); break;
        case '\n': g_string_append (out, "\\n"); break;
        case '\r': g_string_append (out, "\\r"); break;
        case '\t': g_string_append (out, "\\t"); break;
        case '\b': g_string_append (out, "\\b"); break;
        case '\f': g_string_append (out, "\\f"); break;
        default:
          if (*p < 0x20)
            g_string_append_printf (out, "\\u%04x", *p);
          else
            g_string_append_c (out, *p);
        }
    }
  g_string_append_c (out, '"');
}

static void
append_double (GString *out,
               double   value)
{
  static const char * const formats[] = { "%.15g", "%.16g", "%.17g" };
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  if (!isfinite (value))
    {
      g_string_append (out, "null");
      return;
    }

  for (guint i = 0; i < G_N_ELEMENTS (formats); i++)
    {
      g_ascii_formatd (buf, sizeof buf, formats[i], value);
      if (g_ascii_strtod (buf, NULL) == value)
        break;
    }

  g_string_append (out, buf);
  if (strpbrk (buf, ".eE") == NULL)
    g_string_append (out, ".0");
}

static gboolean
is_scalar_array (JsonArray *array)
{
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNodeType type = JSON_NODE_TYPE (json_array_get_element (array, i));

      if (type == JSON_NODE_OBJECT || type == JSON_NODE_ARRAY)
        return FALSE;
    }
  return TRUE;
}

static void
append_indent (GString *out,
               guint    level)
{
  for (guint i = 0; i < level; i++)
    g_string_append (out, "  ");
}

static void
append_node (GString  *out,
             JsonNode *node,
             guint     level)
{
  switch (JSON_NODE_TYPE (node))
    {
    case JSON_NODE_NULL:
      g_string_append (out, "null");
      break;

    case JSON_NODE_VALUE:
      switch (json_node_get_value_type (node))
        {
        case G_TYPE_INT64:
          g_string_append_printf (out, "%" G_GINT64_FORMAT, json_node_get_int (node));
          break;
        case G_TYPE_DOUBLE:
          append_double (out, json_node_get_double (node));
          break;
        case G_TYPE_BOOLEAN:
          g_string_append (out, json_node_get_boolean (node) ? "true" : "false");
          break;
        case G_TYPE_STRING:
        default:
          append_string (out, json_node_get_string (node));
          break;
        }
      break;

    case JSON_NODE_ARRAY:
      {
        JsonArray *array = json_node_get_array (node);
        guint n = json_array_get_length (array);
        gboolean inline_ = is_scalar_array (array);

        g_string_append_c (out, '[');
        for (guint i = 0; i < n; i++)
          {
            if (i > 0)
              g_string_append_c (out, ',');
            if (inline_)
              {
                if (i > 0)
                  g_string_append_c (out, ' ');
              }
            else
              {
                g_string_append_c (out, '\n');
                append_indent (out, level + 1);
              }
            append_node (out, json_array_get_element (array, i), level + 1);
          }
        if (!inline_ && n > 0)
          {
            g_string_append_c (out, '\n');
            append_indent (out, level);
          }
        g_string_append_c (out, ']');
      }
      break;

    case JSON_NODE_OBJECT:
      {
        JsonObject *object = json_node_get_object (node);
        JsonObjectIter iter;
        const char *name;
        JsonNode *member;
        gboolean first = TRUE;

        g_string_append_c (out, '{');
        json_object_iter_init_ordered (&iter, object);
        while (json_object_iter_next_ordered (&iter, &name, &member))
          {
            g_string_append (out, first ? "\n" : ",\n");
            append_indent (out, level + 1);
            append_string (out, name);
            g_string_append (out, ": ");
            append_node (out, member, level + 1);
            first = FALSE;
          }
        if (!first)
          {
            g_string_append_c (out, '\n');
            append_indent (out, level);
          }
        g_string_append_c (out, '}');
      }
      break;

    default:
      g_assert_not_reached ();
    }
}

static void
add_time (JsonBuilder *builder,
          const char  *member,
          gint64       unix_time,
          GTimeZone   *tz)
{
  char buf[FL_RFC3339_BUF_SIZE];

  fl_time_format_rfc3339_buf (unix_time, tz, buf);
  json_builder_set_member_name (builder, member);
  json_builder_add_string_value (builder, buf);
}

static void
add_region (JsonBuilder         *builder,
            const FlRegionState *state)
{
  json_builder_begin_object (builder);

  json_builder_set_member_name (builder, "code");
  json_builder_add_string_value (builder, state->code);
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, state->name);
  json_builder_set_member_name (builder, "status");
  json_builder_add_string_value (builder, fl_region_status_to_string (state->status));

  json_builder_set_member_name (builder, "pending");
  json_builder_begin_object (builder);
  for (guint c = 0; c < FL_N_ALERT_CATEGORIES; c++)
    {
      json_builder_set_member_name (builder, fl_alert_category_to_string (c));
      json_builder_add_int_value (builder, state->pending[c]);
    }
  json_builder_end_object (builder);

  json_builder_set_member_name (builder, "top");
  json_builder_begin_array (builder);
  for (guint i = 0; i < state->n_top; i++)
    json_builder_add_string_value (builder, state->top[i]->id);
  json_builder_end_array (builder);

  json_builder_end_object (builder);
}

static void
add_suggestion (JsonBuilder        *builder,
                const FlSuggestion *suggestion)
{
  json_builder_set_member_name (builder, "suggestion");
  json_builder_begin_object (builder);

  json_builder_set_member_name (builder, "kind");
  json_builder_add_string_value (builder, fl_action_kind_to_string (suggestion->kind));
  json_builder_set_member_name (builder, "resolved");
  json_builder_add_int_value (builder, suggestion->resolved);
  json_builder_set_member_name (builder, "of");
  json_builder_add_int_value (builder, suggestion->of);
  json_builder_set_member_name (builder, "exemplar");
  if (suggestion->exemplar_id != NULL)
    json_builder_add_string_value (builder, suggestion->exemplar_id);
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "text");
  json_builder_add_string_value (builder, suggestion->text);

  json_builder_end_object (builder);
}

static void
add_alert (JsonBuilder   *builder,
           const FlAlert *alert,
           GHashTable    *suggestions,
           GTimeZone     *tz)
{
  const FlSuggestion *suggestion = NULL;

  json_builder_begin_object (builder);

  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, alert->id);
  json_builder_set_member_name (builder, "category");
  json_builder_add_string_value (builder, fl_alert_category_to_string (alert->category));
  json_builder_set_member_name (builder, "region");
  json_builder_add_string_value (builder, alert->region);
  json_builder_set_member_name (builder, "subject");
  json_builder_add_string_value (builder, alert->subject);
  json_builder_set_member_name (builder, "value_at_risk");
  json_builder_add_double_value (builder, alert->value_at_risk);
  add_time (builder, "raised", alert->raised, tz);
  json_builder_set_member_name (builder, "state");
  json_builder_add_string_value (builder, alert->actioned ? "actioned" : "pending");
  if (suggestions != NULL && (suggestion = g_hash_table_lookup (suggestions, alert->id)) != NULL)
    add_suggestion (builder, suggestion);

  json_builder_end_object (builder);
}

/**
 * fl_evaluation_to_status_json:
 * @evaluation: an evaluation
 * @suggestions: (nullable) (element-type utf8 FlSuggestion): alert id →
 *   suggestion, from fl_suggest_for_evaluation(); %NULL leaves the alerts
 *   without their "suggestion" member
 * @tz: the time zone of the times (the dataset's)
 *
 * Writes the status document of FORMATS.md §3: every region ordered by code
 * with its status, pending counts and top 3, then every alert (pending and
 * actioned) ordered by region code and ranking, each with its suggestion
 * (FORMATS.md §4).
 *
 * Returns: (transfer full): pretty-printed JSON, ending with a newline
 */
char *
fl_evaluation_to_status_json (FlEvaluation *evaluation,
                              GHashTable   *suggestions,
                              GTimeZone    *tz)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  GString *out;

  g_return_val_if_fail (evaluation != NULL, NULL);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "format");
  json_builder_add_string_value (builder, STATUS_FORMAT);
  json_builder_set_member_name (builder, "version");
  json_builder_add_int_value (builder, STATUS_VERSION);
  add_time (builder, "now", evaluation->now, tz);

  json_builder_set_member_name (builder, "regions");
  json_builder_begin_array (builder);
  for (guint i = 0; i < evaluation->regions->len; i++)
    add_region (builder, g_ptr_array_index (evaluation->regions, i));
  json_builder_end_array (builder);

  json_builder_set_member_name (builder, "alerts");
  json_builder_begin_array (builder);
  for (guint i = 0; i < evaluation->alerts->len; i++)
    add_alert (builder, g_ptr_array_index (evaluation->alerts, i), suggestions, tz);
  json_builder_end_array (builder);

  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  out = g_string_sized_new (4096 + 512 * evaluation->alerts->len);
  append_node (out, root, 0);
  g_string_append_c (out, '\n');

  return g_string_free (out, FALSE);
}
