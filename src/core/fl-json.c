/* fl-json.c — typed JSON member access with errors that name the culprit
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>
#include <glib/gi18n-lib.h>

#include "fl-json.h"
#include "fl-time.h"
#include "fl-types.h"

#define FL_ID_MAX_BYTES 64

static gboolean
missing (const char  *what,
         const char  *member,
         GError     **error)
{
  g_set_error (error, FL_ERROR, FL_ERROR_INVALID_DATA,
               _("%s: missing field “%s”"), what, member);
  return FALSE;
}

/* The member's node, or NULL (with an error) when absent. */
static JsonNode *
required_member (JsonObject  *obj,
                 const char  *what,
                 const char  *member,
                 GError     **error)
{
  JsonNode *node = json_object_get_member (obj, member);

  if (node == NULL)
    missing (what, member, error);
  return node;
}

static gboolean
node_is_value_of (JsonNode *node,
                  GType     type)
{
  return JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == type;
}

static gboolean
node_is_number (JsonNode *node)
{
  return node_is_value_of (node, G_TYPE_INT64) || node_is_value_of (node, G_TYPE_DOUBLE);
}

static gboolean
string_from_node (JsonNode    *node,
                  const char  *what,
                  const char  *member,
                  const char **out,
                  GError     **error)
{
  if (!node_is_value_of (node, G_TYPE_STRING))
    {
      g_set_error (error, FL_ERROR, FL_ERROR_INVALID_DATA,
                   _("%s: field “%s” must be a string"), what, member);
      return FALSE;
    }

  *out = json_node_get_string (node);
  return TRUE;
}

static gboolean
double_from_node (JsonNode    *node,
                  const char  *what,
                  const char  *member,
                  double      *out,
                  GError     **error)
{
  if (!node_is_number (node))
    {
      g_set_error (error, FL_ERROR, FL_ERROR_INVALID_DATA,
                   _("%s: field “%s” must be a number"), what, member);
      return FALSE;
    }

  *out = json_node_get_double (node);
  return TRUE;
}

static gboolean
int_from_node (JsonNode    *node,
               const char  *what,
               const char  *member,
               gint64      *out,
               GError     **error)
{
  if (node_is_value_of (node, G_TYPE_INT64))
    {
      *out = json_node_get_int (node);
      return TRUE;
    }

  /* "3.0" is an integer too. */
  if (node_is_value_of (node, G_TYPE_DOUBLE))
    {
      double d = json_node_get_double (node);

      if (d == floor (d) && d >= -9007199254740992.0 && d <= 9007199254740992.0)
        {
          *out = (gint64) d;
          return TRUE;
        }
    }

  g_set_error (error, FL_ERROR, FL_ERROR_INVALID_DATA,
               _("%s: field “%s” must be an integer"), what, member);
  return FALSE;
}

static gboolean
time_from_node (JsonNode    *node,
                const char  *what,
                const char  *member,
                gint64      *out,
                GError     **error)
{
  if (!node_is_value_of (node, G_TYPE_STRING)
      || !fl_time_parse_rfc3339 (json_node_get_string (node), out))
    {
      g_set_error (error, FL_ERROR, FL_ERROR_INVALID_DATA,
                   _("%s: field “%s” is not an RFC 3339 time"), what, member);
      return FALSE;
    }

  return TRUE;
}

gboolean
fl_json_get_string (JsonObject  *obj,
                    const char  *what,
                    const char  *member,
                    const char **out,
                    GError     **error)
{
  JsonNode *node = required_member (obj, what, member, error);

  return node != NULL && string_from_node (node, what, member, out, error);
}

gboolean
fl_json_get_id (JsonObject  *obj,
                const char  *what,
                const char  *member,
                const char **out,
                GError     **error)
{
  JsonNode *node = required_member (obj, what, member, error);
  const char *str;

  if (node == NULL)
    return FALSE;

  if (!node_is_value_of (node, G_TYPE_STRING)
      || !fl_json_is_valid_id ((str = json_node_get_string (node))))
    {
      g_set_error (error, FL_ERROR, FL_ERROR_INVALID_DATA,
                   _("%s: field “%s” must be a non-empty string of at most 64 bytes"),
                   what, member);
      return FALSE;
    }

  *out = str;
  return TRUE;
}

gboolean
fl_json_get_nullable_string (JsonObject  *obj,
                             const char  *what,
                             const char  *member,
                             const char **out,
                             GError     **error)
{
  JsonNode *node = required_member (obj, what, member, error);

  if (node == NULL)
    return FALSE;

  if (JSON_NODE_HOLDS_NULL (node))
    {
      *out = NULL;
      return TRUE;
    }

  if (!node_is_value_of (node, G_TYPE_STRING))
    {
      g_set_error (error, FL_ERROR, FL_ERROR_INVALID_DATA,
                   _("%s: field “%s” must be a string or null"), what, member);
      return FALSE;
    }

  *out = json_node_get_string (node);
  return TRUE;
}

gboolean
fl_json_get_double (JsonObject  *obj,
                    const char  *what,
                    const char  *member,
                    double      *out,
                    GError     **error)
{
  JsonNode *node = required_member (obj, what, member, error);

  return node != NULL && double_from_node (node, what, member, out, error);
}

gboolean
fl_json_get_int (JsonObject  *obj,
                 const char  *what,
                 const char  *member,
                 gint64      *out,
                 GError     **error)
{
  JsonNode *node = required_member (obj, what, member, error);

  return node != NULL && int_from_node (node, what, member, out, error);
}

gboolean
fl_json_get_bool (JsonObject  *obj,
                  const char  *what,
                  const char  *member,
                  gboolean    *out,
                  GError     **error)
{
  JsonNode *node = required_member (obj, what, member, error);

  if (node == NULL)
    return FALSE;

  if (!node_is_value_of (node, G_TYPE_BOOLEAN))
    {
      g_set_error (error, FL_ERROR, FL_ERROR_INVALID_DATA,
                   _("%s: field “%s” must be true or false"), what, member);
      return FALSE;
    }

  *out = json_node_get_boolean (node);
  return TRUE;
}

gboolean
fl_json_get_time (JsonObject  *obj,
                  const char  *what,
                  const char  *member,
                  gint64      *out,
                  GError     **error)
{
  JsonNode *node = required_member (obj, what, member, error);

  return node != NULL && time_from_node (node, what, member, out, error);
}

gboolean
fl_json_get_date (JsonObject  *obj,
                  const char  *what,
                  const char  *member,
                  gint32      *out,
                  GError     **error)
{
  JsonNode *node = required_member (obj, what, member, error);

  if (node == NULL)
    return FALSE;

  if (!node_is_value_of (node, G_TYPE_STRING)
      || !fl_date_parse (json_node_get_string (node), out))
    {
      g_set_error (error, FL_ERROR, FL_ERROR_INVALID_DATA,
                   _("%s: field “%s” is not a date (YYYY-MM-DD)"), what, member);
      return FALSE;
    }

  return TRUE;
}

gboolean
fl_json_get_array (JsonObject  *obj,
                   const char  *what,
                   const char  *member,
                   JsonArray  **out,
                   GError     **error)
{
  JsonNode *node = required_member (obj, what, member, error);

  if (node == NULL)
    return FALSE;

  if (!JSON_NODE_HOLDS_ARRAY (node))
    {
      g_set_error (error, FL_ERROR, FL_ERROR_INVALID_DATA,
                   _("%s: field “%s” must be an array"), what, member);
      return FALSE;
    }

  *out = json_node_get_array (node);
  return TRUE;
}

gboolean
fl_json_get_object (JsonObject  *obj,
                    const char  *what,
                    const char  *member,
                    JsonObject **out,
                    GError     **error)
{
  JsonNode *node = required_member (obj, what, member, error);

  if (node == NULL)
    return FALSE;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error (error, FL_ERROR, FL_ERROR_INVALID_DATA,
                   _("%s: field “%s” must be an object"), what, member);
      return FALSE;
    }

  *out = json_node_get_object (node);
  return TRUE;
}

/* Absent or null. */
static JsonNode *
optional_member (JsonObject *obj,
                 const char *member)
{
  JsonNode *node = json_object_get_member (obj, member);

  if (node != NULL && JSON_NODE_HOLDS_NULL (node))
    return NULL;
  return node;
}

gboolean
fl_json_get_opt_string (JsonObject  *obj,
                        const char  *what,
                        const char  *member,
                        const char **out,
                        GError     **error)
{
  JsonNode *node = optional_member (obj, member);

  if (node == NULL)
    {
      *out = NULL;
      return TRUE;
    }

  return string_from_node (node, what, member, out, error);
}

gboolean
fl_json_get_opt_double (JsonObject  *obj,
                        const char  *what,
                        const char  *member,
                        gboolean    *out_present,
                        double      *out,
                        GError     **error)
{
  JsonNode *node = optional_member (obj, member);

  *out_present = FALSE;
  if (node == NULL)
    return TRUE;

  if (!double_from_node (node, what, member, out, error))
    return FALSE;

  *out_present = TRUE;
  return TRUE;
}

gboolean
fl_json_get_opt_int (JsonObject  *obj,
                     const char  *what,
                     const char  *member,
                     gboolean    *out_present,
                     gint64      *out,
                     GError     **error)
{
  JsonNode *node = optional_member (obj, member);

  *out_present = FALSE;
  if (node == NULL)
    return TRUE;

  if (!int_from_node (node, what, member, out, error))
    return FALSE;

  *out_present = TRUE;
  return TRUE;
}

gboolean
fl_json_get_opt_time (JsonObject  *obj,
                      const char  *what,
                      const char  *member,
                      gboolean    *out_present,
                      gint64      *out,
                      GError     **error)
{
  JsonNode *node = optional_member (obj, member);

  *out_present = FALSE;
  if (node == NULL)
    return TRUE;

  if (!time_from_node (node, what, member, out, error))
    return FALSE;

  *out_present = TRUE;
  return TRUE;
}

gboolean
fl_json_get_opt_array (JsonObject  *obj,
                       const char  *what,
                       const char  *member,
                       JsonArray  **out,
                       GError     **error)
{
  JsonNode *node = optional_member (obj, member);

  if (node == NULL)
    {
      *out = NULL;
      return TRUE;
    }

  if (!JSON_NODE_HOLDS_ARRAY (node))
    {
      g_set_error (error, FL_ERROR, FL_ERROR_INVALID_DATA,
                   _("%s: field “%s” must be an array"), what, member);
      return FALSE;
    }

  *out = json_node_get_array (node);
  return TRUE;
}

gboolean
fl_json_is_valid_id (const char *str)
{
  gsize len;

  if (str == NULL)
    return FALSE;
  len = strnlen (str, FL_ID_MAX_BYTES + 1);
  return len >= 1 && len <= FL_ID_MAX_BYTES;
}
