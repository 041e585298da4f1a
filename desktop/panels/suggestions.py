"""意见建议: the list with state, department and deadline; the whole history; writing one offline."""

from __future__ import annotations

import uuid
from html import escape

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QLabel, QPushButton, QTextBrowser, QWidget

from desktop.china_time import format_minute
from desktop.dialogs.suggestion_editor import SuggestionEditor
from desktop.panels.base import ModulePanel, PanelContext, column, side_by_side
from desktop.panels.figures import FigureStrip
from desktop.panels.suggestion_states import state_colour, state_text
from desktop.panels.table_model import Column, RowTableModel, level_colour
from desktop.panels.table_section import TableSection
from desktop.queries.accounts import UserIdentity
from desktop.queries.local_suggestions import (
    SuggestionDraft,
    SuggestionItem,
    item_date,
    merge_suggestions,
    submit_commands,
    suggestion_drafts,
)
from desktop.queries.policies import policy_progress
from desktop.queries.projects import project_progress
from desktop.queries.suggestions import SuggestionEvent, suggestion_contact, suggestion_history, suggestion_rows
from desktop.queries.thresholds import Level
from desktop.replica_writer import ReplicaWriter
from desktop.suggestion_drafts import delete_draft, discard_rejected

OPEN_STATES = ("submitted", "assigned", "accepted", "reopened")


def action_text(event: SuggestionEvent) -> str:
    texts = {
        "submit": QCoreApplication.translate("SuggestionsPanel", "提出建议"),
        "assign": QCoreApplication.translate("SuggestionsPanel", "交办"),
        "accept": QCoreApplication.translate("SuggestionsPanel", "接单"),
        "reply": QCoreApplication.translate("SuggestionsPanel", "答复"),
        "feedback": QCoreApplication.translate("SuggestionsPanel", "代表反馈"),
        "reopen": QCoreApplication.translate("SuggestionsPanel", "重新办理"),
        "close": QCoreApplication.translate("SuggestionsPanel", "办结"),
        "decline": QCoreApplication.translate("SuggestionsPanel", "不予立案"),
        "merge": QCoreApplication.translate("SuggestionsPanel", "合并"),
    }
    return texts.get(event.action, state_text(event.to_state))


class SuggestionsPanel(ModulePanel):
    name = "suggestions"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._context: PanelContext | None = None
        self._writer: ReplicaWriter | None = None
        self._identity: UserIdentity | None = None
        self._items: list[SuggestionItem] = []
        self.figures = FigureStrip()
        self.figures.add("total", self.tr("意见建议"), self.tr("条"))
        self.figures.add("open", self.tr("办理中"), self.tr("条"))
        self.figures.add("overdue", self.tr("已超期"), self.tr("条"))
        self.figures.add("local", self.tr("本机待上传 / 草稿"), self.tr("条"))
        self.new_button = QPushButton(self.tr("＋ 提出建议"), objectName="primary")
        self.new_button.clicked.connect(self.new_suggestion)
        self.mine_only = QCheckBox(self.tr("只看我提出的"))
        self.mine_only.toggled.connect(self._show_items)
        self.hint = QLabel(objectName="notice", wordWrap=True)
        self.table = TableSection(RowTableModel(self._columns()), self.tr("筛选标题、部门或编号…"), money=False)
        self.table.row_selected.connect(self._show_detail)
        self.table.row_activated.connect(self._edit)
        self.detail = QTextBrowser(openExternalLinks=False)
        self.edit_button = QPushButton(self.tr("继续编辑"))
        self.edit_button.clicked.connect(lambda: self._edit(self.table.selected()))
        self.remove_button = QPushButton()
        self.remove_button.clicked.connect(self._remove)
        self._build()

    def title(self) -> str:
        return self.tr("意见建议")

    def _columns(self) -> list[Column[SuggestionItem]]:
        return [
            Column(self.tr("编号"), lambda i: i.server.number or "" if i.server else ""),
            Column(self.tr("标题"), lambda i: i.title or self.tr("（未填标题）"), stretch=True),
            Column(self.tr("状态"), lambda i: state_text(i.state), foreground=lambda i: state_colour(i.state)),
            Column(self.tr("承办部门"), lambda i: (i.server.department or "") if i.server else ""),
            Column(self.tr("办理期限"), lambda i: i.server.deadline.isoformat() if i.server and i.server.deadline
                   else "", lambda i: i.server.deadline.isoformat() if i.server and i.server.deadline else "",
                   foreground=lambda i: level_colour(Level.RED) if self._overdue(i) else None),
            Column(self.tr("提出人"), lambda i: i.server.author if i.server else self._my_name()),
            Column(self.tr("日期"), lambda i: (d.isoformat() if (d := item_date(i)) else ""),
                   lambda i: (d.isoformat() if (d := item_date(i)) else "9999")),
        ]

    def _build(self) -> None:
        tools = QHBoxLayout()
        tools.addWidget(self.new_button)
        tools.addWidget(self.mine_only)
        tools.addStretch(1)
        detail_buttons = QHBoxLayout()
        detail_buttons.addStretch(1)
        detail_buttons.addWidget(self.edit_button)
        detail_buttons.addWidget(self.remove_button)
        detail = column((self.detail, 1), detail_buttons)
        self.arrange(self.figures, tools, self.hint, (side_by_side(self.table, detail, sizes=(2, 1)), 1))

    # ------------------------------------------------------------ account and loading

    def attach(self, writer: ReplicaWriter | None, identity: UserIdentity | None) -> None:
        """The signed-in user's writer (drafts, outbox) and who they are; ``None`` when nobody is."""
        if self._writer is not None:
            self._writer.done.disconnect(self._on_written)
        self._writer, self._identity = writer, identity
        if writer is not None:
            writer.done.connect(self._on_written)
        self.new_button.setEnabled(writer is not None)

    def _my_name(self) -> str:
        return self._identity.display_name if self._identity else ""

    def load(self, context: PanelContext) -> None:
        self._context = context
        with context.replica.connect() as conn:
            rows = suggestion_rows(conn, context.scope.region_codes)
            self._items = merge_suggestions(rows, suggestion_drafts(conn), submit_commands(conn))
        self.show_content()
        self._show_items()

    def _on_written(self, _what: str, _result: object) -> None:
        if self._context is not None:
            self.load(self._context)

    def _overdue(self, item: SuggestionItem) -> bool:
        """Still open after its deadline, by the server's date (DESIGN.md §5 建议办理超期)."""
        server_date = self._context.server_date if self._context else None
        deadline = item.server.deadline if item.server else None
        return bool(server_date and deadline and item.state in OPEN_STATES and deadline < server_date)

    def _visible_items(self) -> list[SuggestionItem]:
        if not self.mine_only.isChecked() or self._identity is None:
            return self._items
        me = self._identity.user_id
        return [item for item in self._items if item.is_local or item.server.author_id == me]

    def _show_items(self) -> None:
        items = self._visible_items()
        open_items = [i for i in items if i.state in OPEN_STATES]
        overdue = [i for i in open_items if self._overdue(i)]
        self.figures["total"].set_value(str(sum(not i.is_local for i in items)))
        self.figures["open"].set_value(str(len(open_items)))
        self.figures["overdue"].set_value(str(len(overdue)), Level.RED if overdue else None)
        self.figures["local"].set_value(str(sum(i.is_local for i in items)))
        self.hint.setVisible(not items or any(i.state == "rejected" for i in items))
        rejected = sum(i.state == "rejected" for i in items)
        if rejected:
            self.hint.setText(self.tr("有 {count} 条建议被服务器退回：选中它查看原因，修改后可重新提交。")
                              .format(count=rejected))
        else:
            self.hint.setText(self.tr("还没有意见建议。点击「提出建议」写第一条——没有网络也可以写，联网后自动上传。"))
        self.table.set_rows(items)
        self.table.select_first()

    # ------------------------------------------------------------ detail

    def _show_detail(self, item: SuggestionItem | None) -> None:
        self.edit_button.setVisible(item is not None and item.state in ("draft", "rejected"))
        self.remove_button.setVisible(item is not None and item.state in ("draft", "rejected"))
        if item is None:
            hint = escape(self.tr("选中一条建议，查看内容和办理经过。"))
            self.detail.setHtml(f"<p style='color:#5A6573'>{hint}</p>")
            return
        self.edit_button.setText(self.tr("修改后重新提交") if item.state == "rejected" else self.tr("继续编辑"))
        self.remove_button.setText(self.tr("放弃这条") if item.state == "rejected" else self.tr("删除草稿"))
        self.detail.setHtml(self._server_html(item) if item.server else self._local_html(item))

    def _state_html(self, state: str) -> str:
        colour = state_colour(state)
        style = f"color:{colour.name()};" if colour else ""
        return f"<b style='{style}'>{escape(state_text(state))}</b>"

    def _server_html(self, item: SuggestionItem) -> str:
        row = item.server
        with self._context.replica.connect() as conn:
            history = suggestion_history(conn, row.suggestion_id)
            contact = suggestion_contact(conn, row.suggestion_id)
        facts = [
            (self.tr("编号"), escape(row.number or "")), (self.tr("状态"), self._state_html(row.state)),
            (self.tr("提出人"), escape(row.author)),
            (self.tr("来源"), escape(self.tr("群众反映") if row.source == "constituents" else self.tr("本人提出"))),
            (self.tr("类别"), escape(row.category or "")),
            (self.tr("提交时间"), escape(format_minute(row.submitted_at))),
            (self.tr("承办部门"), escape(row.department or self.tr("尚未交办"))),
            (self.tr("办理期限"), escape(row.deadline.isoformat() if row.deadline else "")),
        ]
        if row.project or row.policy:
            facts.append((self.tr("关联"), escape(row.project or row.policy)))
        if contact is not None:
            facts.append((self.tr("群众"), escape(" ".join(filter(None, [contact.name, contact.phone])))))
        if row.rating:
            facts.append((self.tr("满意度"), "★" * row.rating))
        parts = [f"<h3>{escape(row.title)}</h3>", _facts_table(facts), f"<p>{_paragraphs(row.body)}</p>"]
        if row.decline_reason:
            reason = escape(self.tr("不予立案理由：")) + escape(row.decline_reason)
            parts.append(f"<p style='color:#B3261E'>{reason}</p>")
        history_title = escape(self.tr("办理经过"))
        parts.append(f"<h4>{history_title}</h4>")
        parts.append(_facts_table([
            (escape(format_minute(event.at)), f"<b>{escape(action_text(event))}</b> · {escape(event.actor)}"
             + (f" → {escape(event.assigned_department)}" if event.assigned_department else "")
             + (f"<br>{_paragraphs(event.text)}" if event.text else ""))
            for event in history
        ]))
        return "".join(parts)

    def _local_html(self, item: SuggestionItem) -> str:
        draft = item.draft
        explanation = {
            "draft": self.tr("草稿，只保存在这台电脑上。写完后点击「提交」。"),
            "pending": self.tr("已提交，待上传：下次连上服务器时自动上传，无需重复提交。"),
            "uploaded": self.tr("已上传到服务器，下一次同步后显示登记编号。"),
            "rejected": self.tr("服务器退回了这条建议。"),
        }[item.state]
        parts = [f"<h3>{escape(draft.title or self.tr('（未填标题）'))}</h3>",
                 f"<p>{self._state_html(item.state)} — {escape(explanation)}</p>"]
        if item.state == "rejected" and item.command and item.command.reason:
            label = escape(self.tr("退回原因："))
            parts.append(f"<p style='color:#B3261E'><b>{label}</b>{escape(item.command.reason)}</p>")
        if draft.source == "constituents":
            contact = " ".join(filter(None, [draft.contact_name, draft.contact_phone]))
            source = escape(self.tr("群众反映"))
            parts.append(f"<p>{source}：{escape(contact)}</p>")
        parts.append(f"<p>{_paragraphs(draft.body)}</p>")
        return "".join(parts)

    # ------------------------------------------------------------ writing

    def _links(self) -> list[tuple[str, int | None, int | None]]:
        context = self._context
        if context is None:
            return []
        with context.replica.connect() as conn:
            projects = project_progress(conn, context.scope)
            policies = policy_progress(conn, context.scope, context.as_of_month)
        return ([(self.tr("项目：{name}").format(name=p.name), p.project_id, None) for p in projects]
                + [(self.tr("政策：{name}").format(name=p.name), None, p.policy_id) for p in policies])

    def new_suggestion(self) -> SuggestionEditor | None:
        if self._writer is None or self._identity is None:
            return None
        region = self._identity.region_code or (self._context.scope.region_code if self._context else "")
        draft = SuggestionDraft(suggestion_id=str(uuid.uuid4()), region_code=region)
        return self._open_editor(draft)

    def _edit(self, item: SuggestionItem | None) -> None:
        if item is not None and item.state in ("draft", "rejected"):
            self._open_editor(item.draft, item.command.uuid if item.state == "rejected" else None)

    def _open_editor(self, draft: SuggestionDraft, rejected_command: str | None = None) -> SuggestionEditor:
        editor = SuggestionEditor(draft, self._links(), self._writer, self._identity.username, rejected_command, self)
        editor.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        editor.open()
        return editor

    def _remove(self) -> None:
        item = self.table.selected()
        if item is None or self._writer is None:
            return
        if item.state == "draft":
            self._writer.submit("draft", lambda replica: delete_draft(replica, item.suggestion_id))
        elif item.state == "rejected":
            author = self._identity.username
            self._writer.submit("discard", lambda replica: discard_rejected(replica, item.command.uuid, author))


def _paragraphs(text: str) -> str:
    return "<br>".join(escape(line) for line in text.splitlines())


def _facts_table(facts: list[tuple[str, str]]) -> str:
    rows = "".join(f"<tr><td style='color:#5A6573; padding-right:12px; white-space:nowrap'>{label}</td>"
                   f"<td>{value}</td></tr>" for label, value in facts)
    return f"<table cellspacing='0' cellpadding='3'>{rows}</table>"
