"""Hot-path statements without the ORM's per-query compilation.

The ORM builds and compiles a queryset to SQL every time one is evaluated: about 0.25 ms for a one-row
lookup on this project's machines, ten times the query itself, and 0.3-0.4 ms for a `create()`
(bench/RESULTS.md). The statements the hottest requests run use these helpers instead: the Basic-auth
user, the OAuth access token, an item request's expense and tags, the simple API's tag lookups and its
inserts (whose default report the INSERT computes itself). The WHERE clause is written by the caller in
portable SQL (`%s` placeholders, column names as the models define them); everything else stays with the ORM.

What comes out is what the ORM would give: instances built by `Model.from_db` from values passed through
the backend's and the fields' converters. What goes in passes each field's `pre_save` and
`get_db_prep_save`. As with `bulk_create`, no signals are sent and `save()` overrides do not run: callers
set what such an override would set.
"""

import functools

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.backends.sqlite3.base import FORMAT_QMARK_REGEX

# (alias, vendor, model, related) -> (SELECT ... FROM ... JOIN ..., parts, [(index, converters, column)])
_SELECT_PLANS: dict = {}
# (alias, vendor, model, with primary key) -> (INSERT INTO table (columns) VALUES, row placeholder, fields, RETURNING)
_INSERT_PLANS: dict = {}


@functools.lru_cache(maxsize=512)
def _qmark(sql: str) -> str:
    """The statement in the `?` style of Python's sqlite3 module, as Django's SQLite cursor converts it."""
    return FORMAT_QMARK_REGEX.sub("?", sql).replace("%%", "%")


def _fetchall(connection, sql: str, params) -> list:
    """Execute one statement and return its rows.

    On SQLite the statement goes to the sqlite3 connection itself: Django's cursor wrapper would convert
    the placeholders with a regular expression on every call, a third of a hot statement's time. Where
    queries are being recorded (DEBUG, `assertNumQueries`, `CaptureQueriesContext`) or wrapped
    (`execute_wrapper`), Django's cursor runs them, so nothing escapes those tools.
    """
    if connection.vendor == "sqlite" and not connection.execute_wrappers and not connection.queries_logged:
        connection.close_if_health_check_failed()
        connection.ensure_connection()
        connection.validate_thread_sharing()
        connection.validate_no_broken_transaction()
        with connection.wrap_database_errors:
            return connection.connection.execute(_qmark(sql), params).fetchall()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _column_converters(field, table: str, connection):
    """(column, the backend's and the field's converters) for a field of `table` read back from the database."""
    column = field.get_col(table)
    return column, connection.ops.get_db_converters(column) + column.get_db_converters(connection)


def _converted(value, column, functions, connection):
    for function in functions:
        value = function(value, column, connection)
    return value


def _select_plan(model, connection, related: tuple[str, ...]):
    key = (connection.alias, connection.vendor, model, related)
    plan = _SELECT_PLANS.get(key)
    if plan is None:
        quote = connection.ops.quote_name
        main = quote(model._meta.db_table)
        columns, converters, parts, joins = [], [], [], []

        def add(part_model, alias, field):
            start = len(columns)
            for each in part_model._meta.concrete_fields:
                column, found = _column_converters(each, part_model._meta.db_table, connection)
                if found:
                    converters.append((len(columns), found, column))
                columns.append(f"{alias}.{quote(each.column)}")
            attnames = [each.attname for each in part_model._meta.concrete_fields]
            pk_index = start + attnames.index(part_model._meta.pk.attname)
            parts.append((field, part_model, attnames, start, len(columns), pk_index))

        add(model, main, None)
        for number, name in enumerate(related):
            field = model._meta.get_field(name)  # a forward foreign key, as select_related takes
            alias = quote(f"related_{number}")
            join = "LEFT OUTER JOIN" if field.null else "INNER JOIN"
            joins.append(f" {join} {quote(field.related_model._meta.db_table)} {alias} "
                         f"ON {alias}.{quote(field.target_field.column)} = {main}.{quote(field.column)}")
            add(field.related_model, alias, field)
        # Identifiers from the models' metadata, quoted by the backend; values only ever go in as parameters.
        head = f"SELECT {', '.join(columns)} FROM {main}{''.join(joins)}"  # noqa: S608
        plan = _SELECT_PLANS[key] = (head, parts, converters)
    return plan


def select(model, where: str, params=(), *, related=(), limit: int | None = None, using=DEFAULT_DB_ALIAS) -> list:
    """Instances of `model` for `SELECT every column FROM its table WHERE <where> [LIMIT n]`.

    `where` is SQL written in the code, never text from a request: values go in `params` (`%s`).
    `related` names forward foreign keys to load in the same statement, like `select_related`; the WHERE
    clause then names the model's columns as `<its table>.<column>` where the joined tables share a name.
    """
    connection = connections[using]
    head, parts, converters = _select_plan(model, connection, tuple(related))
    sql = f"{head} WHERE {where}" if limit is None else f"{head} WHERE {where} LIMIT {int(limit)}"
    rows = _fetchall(connection, sql, params)
    found = []
    for row in rows:
        if converters:
            row = list(row)
            for index, functions, column in converters:
                row[index] = _converted(row[index], column, functions, connection)
        instance = None
        for field, part_model, attnames, start, end, pk_index in parts:
            if field is None:
                instance = part_model.from_db(using, attnames, row[start:end])
            else:
                other = part_model.from_db(using, attnames, row[start:end]) if row[pk_index] is not None else None
                field.set_cached_value(instance, other)
        found.append(instance)
    return found


def select_one(model, where: str, params=(), *, related=(), using=DEFAULT_DB_ALIAS):
    """The instance `select` finds first (the WHERE clause should name at most one row), or None."""
    found = select(model, where, params, related=related, limit=1, using=using)
    return found[0] if found else None


def _insert_plan(model, connection, with_pk: bool, computed: tuple):
    key = (connection.alias, connection.vendor, model, with_pk, computed)
    plan = _INSERT_PLANS.get(key)
    if plan is None:
        opts = model._meta
        quote = connection.ops.quote_name
        expressions = dict(computed)
        fields = [f for f in opts.concrete_fields if with_pk or f is not opts.pk]
        columns = ", ".join(quote(f.column) for f in fields)
        head = f"INSERT INTO {quote(opts.db_table)} ({columns}) VALUES "  # noqa: S608 (identifiers only)
        placeholder = f"({', '.join(expressions.get(f.attname, '%s') for f in fields)})"
        returned = ([] if with_pk else [opts.pk]) + [f for f in fields if f.attname in expressions]
        returning = ""
        if returned and connection.features.can_return_rows_from_bulk_insert:
            returning = f" RETURNING {', '.join(quote(f.column) for f in returned)}"
        elif expressions:
            raise NotImplementedError("values computed by the database need INSERT ... RETURNING")
        converters = [_column_converters(field, opts.db_table, connection) for field in returned]
        plan = _INSERT_PLANS[key] = (head, placeholder, fields, returning, returned, converters)
    return plan


class PreparedInsert:
    """An INSERT of unsaved instances with its parameters already prepared; `run()` executes it.

    Preparing the values (`pre_save`, `get_db_prep_save`) before a write transaction keeps that Python
    work out of the time the transaction holds the database's write lock.
    """

    def __init__(self, objs, *, computed=None, using=DEFAULT_DB_ALIAS):
        self.objs, self.using = objs, using
        if not objs:
            return
        connection = connections[using]
        computed = computed or {}
        self.with_pk = objs[0].pk is not None
        head, placeholder, fields, self.returning, self.returned, self.converters = _insert_plan(
            type(objs[0]), connection, self.with_pk,
            tuple((name, expression) for name, (expression, _) in computed.items()),
        )
        self.params = []
        for obj in objs:
            for field in fields:
                if field.attname in computed:
                    self.params.extend(computed[field.attname][1])
                else:
                    self.params.append(field.get_db_prep_save(field.pre_save(obj, True), connection))
        self.sql = head + ", ".join([placeholder] * len(objs)) + self.returning

    def run(self) -> None:
        """Execute the INSERT and set what the database generated (primary keys, computed columns)."""
        objs, using = self.objs, self.using
        if not objs:
            return
        connection = connections[using]
        if self.returning:
            rows = _fetchall(connection, self.sql, self.params)
        elif self.with_pk:
            _fetchall(connection, self.sql, self.params)
            rows = [()] * len(objs)
        else:
            if len(objs) > 1:
                raise NotImplementedError("several rows without RETURNING: insert them one at a time")
            model = type(objs[0])
            with connection.cursor() as cursor:
                cursor.execute(self.sql, self.params)
                rows = [(connection.ops.last_insert_id(cursor, model._meta.db_table, model._meta.pk.column),)]
        for obj, row in zip(objs, rows, strict=True):
            for field, (column, functions), value in zip(self.returned, self.converters, row, strict=True):
                setattr(obj, field.attname, _converted(value, column, functions, connection))
            obj._state.adding = False
            obj._state.db = using


def insert(objs, *, computed=None, using=DEFAULT_DB_ALIAS) -> None:
    """INSERT unsaved instances of one model in one statement, setting their generated primary keys.

    Instances either all have their primary key set or all leave it to the database. `computed` maps a
    field's attname to `(SQL expression, params)` that the database evaluates for every row instead of the
    instance's value, e.g. a scalar subquery; the value it stored is set on each instance.
    """
    PreparedInsert(objs, computed=computed, using=using).run()
