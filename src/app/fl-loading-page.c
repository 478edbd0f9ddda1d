/* fl-loading-page.c — a drill-down page whose subject's profile is read off the main thread
 *
 * A new subject or context clears the page, shows the quick title (if the
 * subclass has one) with a delayed spinner and starts a load; the result
 * fills the content, or shows the not-found state. On "changed" the profile
 * shown stays until the new one replaces it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>

#include "fl-loading-page.h"

typedef struct
{
  /* template widgets (the subclass's template) */
  GtkWidget    *loading_title;
  GtkWidget    *scroller;
  GtkWidget    *spinner;
  GtkWidget    *stack;
  GtkWidget    *status_page;

  /* owned */
  FlContext    *context;
  FlPageLoader *loader;
  gpointer      profile;        /* of subject_id, shown; NULL while loading or not found */
  char         *subject_id;
  char         *title;
} FlLoadingPagePrivate;

G_DEFINE_ABSTRACT_TYPE_WITH_PRIVATE (FlLoadingPage, fl_loading_page, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_CONTEXT,
  PROP_TITLE,
  PROP_LOADING,
  N_PROPS,
  /* installed on each subclass under its own name */
  PROP_SUBJECT_ID = N_PROPS
};

enum {
  SIGNAL_OPEN_LINK,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

/* helpers */

static void
_set_title (FlLoadingPage *self,
            const char    *title)
{
  FlLoadingPagePrivate *priv = fl_loading_page_get_instance_private (self);

  if (g_strcmp0 (priv->title, title) == 0)
    return;
  g_free (priv->title);
  priv->title = g_strdup (title);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TITLE]);
}

static void
_show (FlLoadingPage *self,
       const char    *name)
{
  FlLoadingPagePrivate *priv = fl_loading_page_get_instance_private (self);

  if (g_str_equal (name, "loading"))
    fl_page_spinner_start (priv->spinner);
  else
    fl_page_spinner_stop (priv->spinner);
  gtk_stack_set_visible_child_name (GTK_STACK (priv->stack), name);
}

static void
_show_not_found (FlLoadingPage *self,
                 const char    *description)
{
  FlLoadingPagePrivate *priv = fl_loading_page_get_instance_private (self);

  adw_status_page_set_description (ADW_STATUS_PAGE (priv->status_page), description);
  _show (self, "not-found");
  _set_title (self, NULL);
}

static void
_clear_profile (FlLoadingPage *self)
{
  FlLoadingPagePrivate *priv = fl_loading_page_get_instance_private (self);

  if (priv->profile != NULL)
    FL_LOADING_PAGE_GET_CLASS (self)->profile_free (g_steal_pointer (&priv->profile));
}

static void
_fill (FlLoadingPage *self)
{
  FlLoadingPagePrivate *priv = fl_loading_page_get_instance_private (self);
  FlLoadingPageClass *klass = FL_LOADING_PAGE_GET_CLASS (self);

  klass->clear (self);
  klass->fill (self, priv->profile);
  _show (self, "content");
  _set_title (self, klass->get_title (priv->profile));
}

static void
_profile_loaded (gpointer      page,
                 gpointer      result,
                 const GError *error)
{
  FlLoadingPage *self = page;
  FlLoadingPagePrivate *priv = fl_loading_page_get_instance_private (self);
  FlLoadingPageClass *klass = FL_LOADING_PAGE_GET_CLASS (self);
  g_autofree char *description = NULL;

  _clear_profile (self);
  priv->profile = result;
  if (priv->profile != NULL)
    {
      _fill (self);
      return;
    }

  klass->clear (self);
  if (!g_error_matches (error, FL_ERROR, FL_ERROR_NOT_FOUND))
    {
      g_warning ("%s", error->message);
      description = g_strdup (error->message);
    }
  else if (klass->dup_not_found_text != NULL)
    description = klass->dup_not_found_text (self, priv->subject_id);
  else
    description = g_strdup (error->message);
  _show_not_found (self, description);
}

/* A new subject or context: nothing of the previous one stays on screen. */
static void
_load (FlLoadingPage *self)
{
  FlLoadingPagePrivate *priv = fl_loading_page_get_instance_private (self);
  FlLoadingPageClass *klass = FL_LOADING_PAGE_GET_CLASS (self);
  g_autofree char *title = NULL;

  _clear_profile (self);
  klass->clear (self);

  if (priv->context == NULL || priv->subject_id == NULL)
    {
      fl_page_loader_cancel (priv->loader);
      if (gtk_stack_get_child_by_name (GTK_STACK (priv->stack), "empty") != NULL)
        {
          _show (self, "empty");
          _set_title (self, NULL);
        }
      else
        _show_not_found (self, "");
      return;
    }

  /* The name at once if it is cheap: the header and the breadcrumb do not
   * wait for the figures. */
  if (klass->dup_quick_title != NULL)
    title = klass->dup_quick_title (self, fl_context_get_store (priv->context),
                                    priv->subject_id);
  _set_title (self, title);
  gtk_label_set_label (GTK_LABEL (priv->loading_title), title != NULL ? title : "");
  _show (self, "loading");
  /* On the in-memory demo this fills the page before it returns. */
  fl_page_loader_load (priv->loader, priv->context, priv->subject_id);
}

/* callbacks */

static void
on_row_activated_cb (FlLoadingPage *self,
                     GtkListBoxRow *row)
{
  const char *link = g_object_get_data (G_OBJECT (row), "link");

  if (link != NULL)
    g_signal_emit (self, signals[SIGNAL_OPEN_LINK], 0, link);
}

static void
on_context_changed_cb (FlLoadingPage *self)
{
  FlLoadingPagePrivate *priv = fl_loading_page_get_instance_private (self);
  FlLoadingPageClass *klass = FL_LOADING_PAGE_GET_CLASS (self);

  if (priv->profile == NULL)
    {
      _load (self);
      return;
    }
  /* The figures stay until the new ones arrive. */
  if (klass->context_changed != NULL)
    klass->context_changed (self, priv->profile);
  fl_page_loader_load (priv->loader, priv->context, priv->subject_id);
}

/* Colours only: the figures shown are still right. */
static void
on_palette_changed_cb (FlLoadingPage *self,
                       GParamSpec    *pspec)
{
  FlLoadingPagePrivate *priv = fl_loading_page_get_instance_private (self);
  FlLoadingPageClass *klass = FL_LOADING_PAGE_GET_CLASS (self);

  if (priv->profile != NULL && klass->palette_changed != NULL)
    klass->palette_changed (self, priv->profile);
}

static void
on_loading_changed_cb (FlLoadingPage *self,
                       GParamSpec    *pspec)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

/* overrides */

static void
fl_loading_page_constructed (GObject *object)
{
  FlLoadingPage *self = FL_LOADING_PAGE (object);
  FlLoadingPagePrivate *priv = fl_loading_page_get_instance_private (self);
  FlLoadingPageClass *klass = FL_LOADING_PAGE_GET_CLASS (self);

  G_OBJECT_CLASS (fl_loading_page_parent_class)->constructed (object);

  /* Here, not in _init: the subclass's template is there, and its class
   * (its load function) is the instance's. */
  g_return_if_fail (priv->stack != NULL);
  priv->loader = fl_page_loader_new (klass->load, klass->profile_free, _profile_loaded, self);
  g_signal_connect_object (priv->loader, "notify::loading", G_CALLBACK (on_loading_changed_cb),
                           self, G_CONNECT_SWAPPED);
  _load (self);
}

static void
fl_loading_page_dispose (GObject *object)
{
  FlLoadingPage *self = FL_LOADING_PAGE (object);
  FlLoadingPagePrivate *priv = fl_loading_page_get_instance_private (self);

  /* A load still running is dropped, never delivered to a disposed page. */
  if (priv->loader != NULL)
    {
      g_signal_handlers_disconnect_by_data (priv->loader, self);
      fl_page_loader_cancel (priv->loader);
      g_clear_object (&priv->loader);
    }
  _clear_profile (self);
  gtk_widget_dispose_template (GTK_WIDGET (self), G_OBJECT_TYPE (self));
  g_clear_object (&priv->context);

  G_OBJECT_CLASS (fl_loading_page_parent_class)->dispose (object);
}

static void
fl_loading_page_finalize (GObject *object)
{
  FlLoadingPage *self = FL_LOADING_PAGE (object);
  FlLoadingPagePrivate *priv = fl_loading_page_get_instance_private (self);

  g_free (priv->subject_id);
  g_free (priv->title);

  G_OBJECT_CLASS (fl_loading_page_parent_class)->finalize (object);
}

static void
fl_loading_page_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  FlLoadingPage *self = FL_LOADING_PAGE (object);
  FlLoadingPagePrivate *priv = fl_loading_page_get_instance_private (self);

  switch (prop_id)
    {
    case PROP_CONTEXT:
      g_value_set_object (value, priv->context);
      break;
    case PROP_SUBJECT_ID:
      g_value_set_string (value, priv->subject_id);
      break;
    case PROP_TITLE:
      g_value_set_string (value, priv->title);
      break;
    case PROP_LOADING:
      g_value_set_boolean (value, fl_loading_page_get_loading (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fl_loading_page_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  FlLoadingPage *self = FL_LOADING_PAGE (object);

  switch (prop_id)
    {
    case PROP_CONTEXT:
      fl_loading_page_set_context (self, g_value_get_object (value));
      break;
    case PROP_SUBJECT_ID:
      fl_loading_page_set_subject_id (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fl_loading_page_class_init (FlLoadingPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = fl_loading_page_constructed;
  object_class->dispose = fl_loading_page_dispose;
  object_class->finalize = fl_loading_page_finalize;
  object_class->get_property = fl_loading_page_get_property;
  object_class->set_property = fl_loading_page_set_property;

  properties[PROP_CONTEXT] =
    g_param_spec_object ("context", NULL, NULL, FL_TYPE_CONTEXT,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_TITLE] =
    g_param_spec_string ("title", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_LOADING] =
    g_param_spec_boolean ("loading", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SIGNAL_OPEN_LINK] = g_signal_new ("open-link", G_TYPE_FROM_CLASS (klass),
                                            G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                            G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
fl_loading_page_init (FlLoadingPage *self)
{
}

/* for subclasses */

void
fl_loading_page_class_set_template_from_resource (GtkWidgetClass *widget_class,
                                                  const char     *resource)
{
  g_return_if_fail (g_type_is_a (G_TYPE_FROM_CLASS (widget_class), FL_TYPE_LOADING_PAGE));

  gtk_widget_class_set_template_from_resource (widget_class, resource);
  /* The base's private fields: their offset is the same in every subclass. */
  gtk_widget_class_bind_template_child_private (widget_class, FlLoadingPage, loading_title);
  gtk_widget_class_bind_template_child_private (widget_class, FlLoadingPage, scroller);
  gtk_widget_class_bind_template_child_private (widget_class, FlLoadingPage, spinner);
  gtk_widget_class_bind_template_child_private (widget_class, FlLoadingPage, stack);
  gtk_widget_class_bind_template_child_private (widget_class, FlLoadingPage, status_page);
  gtk_widget_class_bind_template_callback (widget_class, on_row_activated_cb);
}

void
fl_loading_page_class_install_subject_property (FlLoadingPageClass *klass,
                                                const char         *name)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  g_return_if_fail (FL_IS_LOADING_PAGE_CLASS (klass));
  g_return_if_fail (klass->subject_pspec == NULL);

  /* A property is read and written by its owner class's functions, which
   * GObject does not inherit: the subclass's are the base's. */
  object_class->get_property = fl_loading_page_get_property;
  object_class->set_property = fl_loading_page_set_property;
  klass->subject_pspec =
    g_param_spec_string (name, NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_property (object_class, PROP_SUBJECT_ID, klass->subject_pspec);
}

/* public API */

FlContext *
fl_loading_page_get_context (FlLoadingPage *self)
{
  FlLoadingPagePrivate *priv = fl_loading_page_get_instance_private (self);

  g_return_val_if_fail (FL_IS_LOADING_PAGE (self), NULL);
  return priv->context;
}

void
fl_loading_page_set_context (FlLoadingPage *self,
                             FlContext     *context)
{
  FlLoadingPagePrivate *priv = fl_loading_page_get_instance_private (self);

  g_return_if_fail (FL_IS_LOADING_PAGE (self));
  g_return_if_fail (context == NULL || FL_IS_CONTEXT (context));

  if (!fl_context_follow (&priv->context, context, self, G_CALLBACK (on_context_changed_cb),
                          G_CALLBACK (on_palette_changed_cb)))
    return;
  _load (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONTEXT]);
}

const char *
fl_loading_page_get_subject_id (FlLoadingPage *self)
{
  FlLoadingPagePrivate *priv = fl_loading_page_get_instance_private (self);

  g_return_val_if_fail (FL_IS_LOADING_PAGE (self), NULL);
  return priv->subject_id;
}

void
fl_loading_page_set_subject_id (FlLoadingPage *self,
                                const char    *id)
{
  FlLoadingPagePrivate *priv = fl_loading_page_get_instance_private (self);
  GParamSpec *pspec;

  g_return_if_fail (FL_IS_LOADING_PAGE (self));

  if (g_strcmp0 (priv->subject_id, id) == 0)
    return;
  g_free (priv->subject_id);
  priv->subject_id = g_strdup (id);
  _load (self);
  /* A new subject starts at the top. */
  gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (
                              GTK_SCROLLED_WINDOW (priv->scroller)), 0);
  pspec = FL_LOADING_PAGE_GET_CLASS (self)->subject_pspec;
  if (pspec != NULL)
    g_object_notify_by_pspec (G_OBJECT (self), pspec);
}

const char *
fl_loading_page_get_title (FlLoadingPage *self)
{
  FlLoadingPagePrivate *priv = fl_loading_page_get_instance_private (self);

  g_return_val_if_fail (FL_IS_LOADING_PAGE (self), NULL);
  return priv->title;
}

gboolean
fl_loading_page_get_loading (FlLoadingPage *self)
{
  FlLoadingPagePrivate *priv = fl_loading_page_get_instance_private (self);

  g_return_val_if_fail (FL_IS_LOADING_PAGE (self), FALSE);
  return priv->loader != NULL && fl_page_loader_get_loading (priv->loader);
}

gconstpointer
fl_loading_page_get_profile (FlLoadingPage *self)
{
  FlLoadingPagePrivate *priv = fl_loading_page_get_instance_private (self);

  g_return_val_if_fail (FL_IS_LOADING_PAGE (self), NULL);
  return priv->profile;
}

void
fl_loading_page_clear_list (GtkWidget *list)
{
  GtkWidget *child;

  g_return_if_fail (GTK_IS_LIST_BOX (list));

  while ((child = gtk_widget_get_first_child (list)) != NULL)
    gtk_list_box_remove (GTK_LIST_BOX (list), child);
}
