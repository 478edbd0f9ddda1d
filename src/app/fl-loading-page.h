/* fl-loading-page.h — a drill-down page whose subject's profile is read off the main thread
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The base of the rep, category and pilot pages (fl-subject-page.h). It owns
 * what they share:
 *   - the "context" (FlContext): a new context loads the subject again;
 *     "changed" reads the profile again (the one shown stays until the new
 *     one replaces it), "notify::palette" recolours the profile shown;
 *   - the subject id (a property each subclass names, e.g. "rep-id"):
 *     a new id clears the page, scrolls it to the top and loads;
 *   - "title" (read-only): the subject's name for the breadcrumb, NULL when
 *     not found or empty;
 *   - "loading" (read-only): a load runs in a worker (fl-page-loader.h);
 *   - the signal "open-link" (const char *link), emitted when a list row with
 *     a "link" (object data, a string) is activated;
 *   - the states, the children of the template's GtkStack: "loading" (a
 *     spinner under the quick title), "content", "not-found" (an
 *     AdwStatusPage) and, if the template has it, "empty" (no context or no
 *     id; otherwise "not-found" with no description).
 *
 * A subclass's template (fl_loading_page_class_set_template_from_resource())
 * names <template parent="FlLoadingPage"> and has the objects "stack",
 * "spinner" (GtkSpinner), "status_page" (AdwStatusPage), "loading_title"
 * (GtkLabel) and "scroller" (GtkScrolledWindow around the content); its lists
 * may use the handler "on_row_activated_cb" (swapped) for "row-activated".
 * The subclass must not override get_property / set_property: it has no
 * property of its own, the subject property is handled by the base.
 */
#pragma once

#include <gtk/gtk.h>
#include "fl-context.h"
#include "fl-page-loader.h"

G_BEGIN_DECLS

#define FL_TYPE_LOADING_PAGE (fl_loading_page_get_type ())
G_DECLARE_DERIVABLE_TYPE (FlLoadingPage, fl_loading_page, FL, LOADING_PAGE, GtkWidget)

struct _FlLoadingPageClass
{
  GtkWidgetClass parent_class;

  /* Required. A worker thread (the main thread on the in-memory demo): the
   * profile of request->id (transfer full), or NULL with @error, which is
   * FL_ERROR_NOT_FOUND for an unknown id. */
  FlPageLoadFunc  load;
  /* Required: frees what load() returns. */
  GDestroyNotify  profile_free;
  /* Required: the subject's name in @profile, the page's "title". */
  const char   *(*get_title)          (gconstpointer  profile);
  /* Required: fills the content, cleared before, from @profile. */
  void          (*fill)               (FlLoadingPage *self,
                                       gconstpointer  profile);
  /* Required: empties the content. */
  void          (*clear)              (FlLoadingPage *self);

  /* Optional: the title at once while the profile loads (a cheap lookup in
   * @store), or NULL (the default). Transfer full. */
  char         *(*dup_quick_title)    (FlLoadingPage *self,
                                       FlStore       *store,
                                       const char    *id);
  /* Optional: the not-found state's description for an unknown @id; by
   * default the error's message. Transfer full. */
  char         *(*dup_not_found_text) (FlLoadingPage *self,
                                       const char    *id);
  /* Optional: the context's "changed" while @profile is shown, just before
   * it is read again (e.g. follow the new evaluation at once). */
  void          (*context_changed)    (FlLoadingPage *self,
                                       gconstpointer  profile);
  /* Optional: the context's palette changed while @profile is shown. */
  void          (*palette_changed)    (FlLoadingPage *self,
                                       gconstpointer  profile);

  /*< private >*/
  GParamSpec     *subject_pspec;
};

/* For a subclass's class_init: its template, with the shared objects above
 * bound to the base and the callback "on_row_activated_cb". */
void          fl_loading_page_class_set_template_from_resource (GtkWidgetClass     *widget_class,
                                                                const char         *resource);
/* For a subclass's class_init: installs the subject id property, a string
 * named @name ("rep-id"…), readable, writable, notified when it changes. */
void          fl_loading_page_class_install_subject_property   (FlLoadingPageClass *klass,
                                                                const char         *name);

FlContext    *fl_loading_page_get_context    (FlLoadingPage *self);
void          fl_loading_page_set_context    (FlLoadingPage *self,
                                              FlContext     *context);
const char   *fl_loading_page_get_subject_id (FlLoadingPage *self);
/* @id: or NULL to clear; unknown → the not-found state. */
void          fl_loading_page_set_subject_id (FlLoadingPage *self,
                                              const char    *id);
const char   *fl_loading_page_get_title      (FlLoadingPage *self);
gboolean      fl_loading_page_get_loading    (FlLoadingPage *self);
/* The profile shown, or NULL (loading, not found, empty). */
gconstpointer fl_loading_page_get_profile    (FlLoadingPage *self);

/* Removes every row of @list (a GtkListBox). */
void          fl_loading_page_clear_list     (GtkWidget     *list);

/* Defines the typed API of a page derived from FlLoadingPage, the base's
 * functions under the page's names: type_name_new(), _get/_set_context(),
 * _get/_set_<id_name>() (the subject id), _get_title() and _get_loading().
 * TYPE is the page's GType macro (FL_TYPE_REP_PAGE). */
#define FL_LOADING_PAGE_DEFINE_API(TypeName, type_name, TYPE, id_name)                      \
  GtkWidget *                                                                              \
  type_name##_new (void)                                                                   \
  {                                                                                        \
    return g_object_new (TYPE, NULL);                                                      \
  }                                                                                        \
                                                                                           \
  FlContext *                                                                              \
  type_name##_get_context (TypeName *self)                                                 \
  {                                                                                        \
    g_return_val_if_fail (G_TYPE_CHECK_INSTANCE_TYPE (self, TYPE), NULL);                  \
    return fl_loading_page_get_context (FL_LOADING_PAGE (self));                           \
  }                                                                                        \
                                                                                           \
  void                                                                                     \
  type_name##_set_context (TypeName  *self,                                                \
                           FlContext *context)                                             \
  {                                                                                        \
    g_return_if_fail (G_TYPE_CHECK_INSTANCE_TYPE (self, TYPE));                            \
    fl_loading_page_set_context (FL_LOADING_PAGE (self), context);                         \
  }                                                                                        \
                                                                                           \
  const char *                                                                             \
  type_name##_get_##id_name (TypeName *self)                                               \
  {                                                                                        \
    g_return_val_if_fail (G_TYPE_CHECK_INSTANCE_TYPE (self, TYPE), NULL);                  \
    return fl_loading_page_get_subject_id (FL_LOADING_PAGE (self));                        \
  }                                                                                        \
                                                                                           \
  void                                                                                     \
  type_name##_set_##id_name (TypeName   *self,                                             \
                             const char *id)                                               \
  {                                                                                        \
    g_return_if_fail (G_TYPE_CHECK_INSTANCE_TYPE (self, TYPE));                            \
    fl_loading_page_set_subject_id (FL_LOADING_PAGE (self), id);                           \
  }                                                                                        \
                                                                                           \
  const char *                                                                             \
  type_name##_get_title (TypeName *self)                                                   \
  {                                                                                        \
    g_return_val_if_fail (G_TYPE_CHECK_INSTANCE_TYPE (self, TYPE), NULL);                  \
    return fl_loading_page_get_title (FL_LOADING_PAGE (self));                             \
  }                                                                                        \
                                                                                           \
  gboolean                                                                                 \
  type_name##_get_loading (TypeName *self)                                                 \
  {                                                                                        \
    g_return_val_if_fail (G_TYPE_CHECK_INSTANCE_TYPE (self, TYPE), FALSE);                 \
    return fl_loading_page_get_loading (FL_LOADING_PAGE (self));                           \
  }

G_END_DECLS
