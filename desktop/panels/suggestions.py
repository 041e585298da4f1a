"""意见建议: the list with state, department and deadline; the whole history; every step of the loop offline.

The panel adapts to the signed-in role (DESIGN.md §2, §4): a deputy writes suggestions and gives
feedback on the answers to their own; staff work an inbox of new ones (交办, 不予立案, 合并) and a
board of overdue and unsatisfied ones; a department sees what is assigned to it, accepts and replies.
Every step is checked here, queued in the outbox, and shown as waiting until the sync after it; a
step the server refused stays on its suggestion with the server's reason until the user dismisses it.
Under the detail, the suggestion's attachments (its own and its replies'): photos as thumbnails; its
author, staff and the department handling it add files, and a reply may carry a letter.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from html import escape

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QComboBox, QDialog, QHBoxLayout, QLabel, QPushButton, QTextBrowser, QWidget

from desktop import suggestion_steps as steps
from desktop.attachments_strip import AttachmentStrip, AttachTarget, Owner, held_strip, settle_held, suggestion_owners
from desktop.china_time import format_minute
from desktop.dialogs.suggestion_editor import SuggestionEditor
from desktop.dialogs.suggestion_step import AssignDialog, FeedbackDialog, MergeDialog, StepDialog, TextStepDialog
from desktop.panels.base import ModulePanel, PanelContext, column, side_by_side
from desktop.panels.figures import FigureStrip
from desktop.panels.suggestion_states import NEW_STATES, OPEN_STATES, deadline_level, state_colour, state_text
from desktop.panels.table_model import Column, RowTableModel, level_colour
from desktop.panels.table_section import TableSection
from desktop.queries.accounts import UserIdentity
from desktop.queries.local_suggestions import (
    SuggestionDraft,
    SuggestionItem,
    item_date,
    merge_suggestions,
    step_commands,
    submit_commands,
    suggestion_drafts,
)
from desktop.queries.policies import policy_progress
from desktop.queries.projects import project_progress
from desktop.queries.replica import department_names
from desktop.queries.suggestions import SuggestionEvent, suggestion_contact, suggestion_history, suggestion_rows
from desktop.queries.thresholds import Level
from desktop.replica_writer import ReplicaWriter
from desktop.review.model import Link
from desktop.suggestion_drafts import delete_draft, discard_rejected, save_draft

DEPARTMENT_COLUMN = 3
#: What each role may do to a suggestion in which states (the server's table, sync/server/suggestion_workflow.py).
ACTIONS = {
    "staff": (("assign", NEW_STATES), ("decline", NEW_STATES), ("merge", NEW_STATES)),
    "department": (("accept", ("assigned",)), ("reply", ("accepted",))),
    "deputy": (("feedback", ("replied",)),),
}



def step_text(action: str) -> str:
    """A step's name: an event's action, or a command type (``suggestion.assign``)."""
    texts = {
        "submit": QCoreApplication.translate("SuggestionsPanel", "提出建议"),
        "assign": QCoreApplication.translate("SuggestionsPanel", "交办"),
        "accept": QCoreApplication.translate("SuggestionsPanel", "接单"),
        "reply": QCoreApplication.translate("SuggestionsPanel", "答复"),
        "feedback": QCoreApplication.translate("SuggestionsPanel", "反馈"),
        "decline": QCoreApplication.translate("SuggestionsPanel", "不予立案"),
        "merge": QCoreApplication.translate("SuggestionsPanel", "合并"),
    }
    key = action.rpartition(".")[2]
    return texts.get(key, key)


def action_text(event: SuggestionEvent) -> str:
    if event.action == "feedback":
        satisfied = event.to_state == "closed"
        return (QCoreApplication.translate("SuggestionsPanel", "代表反馈：满意") if satisfied
                else QCoreApplication.translate("SuggestionsPanel", "代表反馈：不满意"))
    return step_text(event.action)


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
        self.figures.add("due_soon", self.tr("7 天内到期"), self.tr("条"))
        self.figures.add("local", self.tr("本机待上传 / 草稿"), self.tr("条"))
        self.new_button = QPushButton(self.tr("＋ 提出建议"), objectName="primary")
        self.new_button.clicked.connect(self.new_suggestion)
        self.queue = QComboBox(minimumContentsLength=8)
        self.queue.currentIndexChanged.connect(self._show_items)
        self.hint = QLabel(objectName="notice", wordWrap=True)
        self.table = TableSection(RowTableModel(self._columns(), self._row_level),
                                  self.tr("筛选标题、部门或编号…"), money=False)
        self.table.row_selected.connect(self._show_detail)
        self.table.row_activated.connect(self._edit)
        self.detail = QTextBrowser(openExternalLinks=False)
        self.attachments = AttachmentStrip()
        self.edit_button = QPushButton(self.tr("继续编辑"))
        self.edit_button.clicked.connect(lambda: self._edit(self.table.selected()))
        self.remove_button = QPushButton()
        self.remove_button.clicked.connect(self._remove)
        self.step_buttons = self._make_step_buttons()
        self._build()
        self._fill_queues()

    def title(self) -> str:
        return self.tr("意见建议")

    def _columns(self) -> list[Column[SuggestionItem]]:
        return [
            Column(self.tr("编号"), lambda i: i.server.number or "" if i.server else ""),
            Column(self.tr("标题"), lambda i: i.title or self.tr("（未填标题）"), stretch=True),
            Column(self.tr("状态"), self._state_cell, foreground=self._state_foreground),
            Column(self.tr("承办部门"), lambda i: (i.server.department or "") if i.server else ""),
            Column(self.tr("办理期限"), self._deadline_text, self._deadline_text,
                   foreground=lambda i: level_colour(self._deadline_level(i))),
            Column(self.tr("提出人"), lambda i: i.server.author if i.server else self._my_name()),
            Column(self.tr("日期"), lambda i: (d.isoformat() if (d := item_date(i)) else ""),
                   lambda i: (d.isoformat() if (d := item_date(i)) else "9999")),
        ]

    def _make_step_buttons(self) -> dict[str, QPushButton]:
        labels = {"assign": self.tr("交办…"), "decline": self.tr("不予立案…"), "merge": self.tr("合并…"),
                  "accept": self.tr("接单"), "reply": self.tr("答复…"), "feedback": self.tr("反馈办理结果…"),
                  "dismiss": self.tr("知道了")}
        buttons = {}
        for key, label in labels.items():
            button = QPushButton(label, objectName="primary" if key in ("assign", "accept", "feedback") else "")
            button.clicked.connect(lambda _checked=False, key=key: self.take_step(key))
            buttons[key] = button
        return buttons

    def _build(self) -> None:
        tools = QHBoxLayout()
        tools.addWidget(self.new_button)
        tools.addWidget(QLabel(self.tr("显示")))
        tools.addWidget(self.queue)
        tools.addStretch(1)
        detail_buttons = QHBoxLayout()
        detail_buttons.addStretch(1)
        for button in (*self.step_buttons.values(), self.edit_button, self.remove_button):
            detail_buttons.addWidget(button)
        detail = column((self.detail, 1), self.attachments, detail_buttons)
        split = side_by_side(self.table, detail, sizes=(3, 2))
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        self.arrange(self.figures, tools, self.hint, (split, 1))

    # ------------------------------------------------------------ account and loading

    def attach(self, writer: ReplicaWriter | None, identity: UserIdentity | None) -> None:
        """The signed-in user's writer (drafts, outbox) and who they are; ``None`` when nobody is."""
        if self._writer is not None:
            self._writer.done.disconnect(self._on_written)
        self._writer, self._identity = writer, identity
        if writer is not None:
            writer.done.connect(self._on_written)
        self.attachments.use(writer)
        self.new_button.setVisible(self._role() in ("deputy", None))
        self.table.view.setColumnHidden(DEPARTMENT_COLUMN, self._role() == "department")  # always its own
        self.new_button.setEnabled(writer is not None)
        self._fill_queues()

    def _role(self) -> str | None:
        return self._identity.role if self._identity else None

    def _my_name(self) -> str:
        return self._identity.display_name if self._identity else ""

    def _fill_queues(self) -> None:
        """The role's views of the list, its work first: staff's inbox, a department's new assignments."""
        queues = {
            "staff": [("inbox", self.tr("待交办（新提交和重新办理）")), ("board", self.tr("超期和不满意")),
                      ("all", self.tr("全部建议"))],
            "department": [("todo", self.tr("待接单")), ("handling", self.tr("办理中")),
                           ("all", self.tr("全部交办给本单位的"))],
        }.get(self._role() or "", [("all", self.tr("全部建议")), ("mine", self.tr("我提出的")),
                                   ("feedback", self.tr("待我反馈"))])
        self.queue.blockSignals(True)
        self.queue.clear()
        for key, label in queues:
            self.queue.addItem(label, key)
        self.queue.blockSignals(False)

    def show_queue(self, key: str) -> None:
        self.queue.setCurrentIndex(max(self.queue.findData(key), 0))

    def show_suggestion(self, number_or_id: str, queue: str | None = "all") -> bool:
        """Select a suggestion by its registration number or id (in ``queue``, or the one shown when
        ``None``); False if it is not there."""
        if queue is not None:
            self.show_queue(queue)
        for position, item in enumerate(self.table.model.rows()):
            if number_or_id in (item.suggestion_id, item.server.number if item.server else None):
                self.table.view.selectRow(self.table.proxy.mapFromSource(self.table.model.index(position, 0)).row())
                return True
        return False

    def show_subject(self, link: Link) -> bool:
        return self.show_suggestion(str(link.row))

    def load(self, context: PanelContext) -> None:
        self._context = context
        with context.replica.connect() as conn:
            rows = suggestion_rows(conn, context.scope.region_codes)
            self._items = merge_suggestions(rows, suggestion_drafts(conn), submit_commands(conn),
                                            step_commands(conn))
        self.show_content()
        self._show_items()

    def _on_written(self, what: str, _result: object) -> None:
        if what in ("draft", "submit", "discard", "step") and self._context is not None:
            self.load(self._context)

    # ------------------------------------------------------------ how an item reads

    def _server_date(self):
        return self._context.server_date if self._context else None

    def _deadline_level(self, item: SuggestionItem) -> Level | None:
        if item.server is None:
            return None
        return deadline_level(item.state, item.server.deadline, self._server_date())

    def _deadline_text(self, item: SuggestionItem) -> str:
        return item.server.deadline.isoformat() if item.server and item.server.deadline else ""

    def _row_level(self, item: SuggestionItem) -> Level | None:
        return Level.RED if item.step is not None and not item.step.waiting else None

    def _state_cell(self, item: SuggestionItem) -> str:
        text = state_text(item.state)
        if item.step is None:
            return text
        if item.step.waiting:
            return self.tr("{state} · 待上传{step}").format(state=text, step=step_text(item.step.type))
        return self.tr("{state} · {step}被退回").format(state=text, step=step_text(item.step.type))

    def _state_foreground(self, item: SuggestionItem):
        if item.step is not None:
            return state_colour("pending" if item.step.waiting else "rejected")
        return state_colour(item.state)

    def _is_mine(self, item: SuggestionItem) -> bool:
        return item.is_local or (self._identity is not None and item.server.author_id == self._identity.user_id)

    def _in_queue(self, item: SuggestionItem, queue: str) -> bool:
        state, server = item.state, item.server is not None
        tests: dict[str, Callable[[], bool]] = {
            "all": lambda: True,
            "mine": lambda: self._is_mine(item),
            "feedback": lambda: server and state == "replied" and self._is_mine(item),
            "inbox": lambda: server and state in NEW_STATES,
            "board": lambda: server and (state == "reopened" or self._deadline_level(item) is Level.RED),
            "todo": lambda: state == "assigned",
            "handling": lambda: state == "accepted",
        }
        return tests[queue]()

    def _visible_items(self) -> list[SuggestionItem]:
        queue = self.queue.currentData() or "all"
        return [item for item in self._items if self._in_queue(item, queue)]

    def _show_items(self) -> None:
        items = self._visible_items()
        server_items = [i for i in self._items if not i.is_local]
        levels = [self._deadline_level(i) for i in server_items]
        self.figures["total"].set_value(str(len(server_items)))
        self.figures["open"].set_value(str(sum(i.state in OPEN_STATES for i in server_items)))
        overdue, due_soon = levels.count(Level.RED), levels.count(Level.YELLOW)
        self.figures["overdue"].set_value(str(overdue), Level.RED if overdue else None)
        self.figures["due_soon"].set_value(str(due_soon), Level.YELLOW if due_soon else None)
        self.figures["local"].set_value(str(sum(i.is_local or (i.step is not None and i.step.waiting)
                                                for i in self._items)))
        self._show_hint(items)
        selected = self.table.selected()
        self.table.set_rows(items)
        if selected is None or not self.show_suggestion(selected.suggestion_id, queue=None):
            self.table.select_first()

    def _show_hint(self, items: list[SuggestionItem]) -> None:
        refused = sum(i.state == "rejected" or (i.step is not None and not i.step.waiting) for i in self._items)
        if refused:
            self.hint.setText(self.tr("有 {count} 项操作被服务器退回：选中标红的建议查看原因。").format(count=refused))
        elif not items and self._role() in ("deputy", None) and self.queue.currentData() == "all":
            self.hint.setText(self.tr("还没有意见建议。点击「提出建议」写第一条——没有网络也可以写，联网后自动上传。"))
        elif not items:
            self.hint.setText(self.tr("这里暂时没有需要处理的建议。"))
        self.hint.setVisible(bool(refused) or not items)

    # ------------------------------------------------------------ detail

    def _show_detail(self, item: SuggestionItem | None) -> None:
        local = item is not None and item.state in ("draft", "rejected")
        self.edit_button.setVisible(local)
        self.remove_button.setVisible(local)
        for key, button in self.step_buttons.items():
            button.setVisible(item is not None and key in self._steps_for(item))
        self._show_attachments(item)
        if item is None:
            hint = escape(self.tr("选中一条建议，查看内容和办理经过。"))
            self.detail.setHtml(f"<p style='color:#5A6573'>{hint}</p>")
            return
        self.edit_button.setText(self.tr("修改后重新提交") if item.state == "rejected" else self.tr("继续编辑"))
        self.remove_button.setText(self.tr("放弃这条") if item.state == "rejected" else self.tr("删除草稿"))
        self.detail.setHtml(self._server_html(item) if item.server else self._local_html(item))

    def _show_attachments(self, item: SuggestionItem | None) -> None:
        if item is None or self._context is None:
            self.attachments.show_owners([], None)
            return
        with self._context.replica.connect() as conn:
            owners = suggestion_owners(conn, item.suggestion_id)
        self.attachments.show_owners(owners, self._attach_target(item))

    def _attach_target(self, item: SuggestionItem) -> AttachTarget | None:
        """Where this user's new files go: held with a draft, after a submission still on its way, or on
        the server's suggestion (its author, staff in scope, the department handling it)."""
        owner = ("suggestion", item.suggestion_id)
        if self._writer is None or item.state == "rejected":
            return None
        if item.state == "draft":
            return AttachTarget(owner, held=True)
        if item.server is None:
            return AttachTarget(owner, after_command=item.command.uuid)
        if self._role() == "deputy" and not self._is_mine(item):
            return None
        return AttachTarget(owner)

    def _steps_for(self, item: SuggestionItem) -> set[str]:
        """The buttons this user has on this item: none while a step of theirs waits to go out."""
        if item.server is None or self._writer is None:
            return set()
        if item.step is not None:
            return set() if item.step.waiting else {"dismiss"}
        allowed = {key for key, states in ACTIONS.get(self._role() or "", ()) if item.state in states}
        if "feedback" in allowed and not self._is_mine(item):
            allowed.discard("feedback")
        return allowed

    def _state_html(self, state: str) -> str:
        colour = state_colour(state)
        style = f"color:{colour.name()};" if colour else ""
        return f"<b style='{style}'>{escape(state_text(state))}</b>"

    def _step_html(self, item: SuggestionItem) -> str:
        step = item.step
        if step is None:
            return ""
        if step.waiting:
            text = self.tr("「{step}」已放入待上传，下次同步时上传，服务器确认后生效。").format(
                step=step_text(step.type))
            return f"<p style='color:#5A6573; background:#EEF4FB; padding:4px'>{escape(text)}</p>"
        text = self.tr("「{step}」被服务器退回：").format(step=step_text(step.type))
        return f"<p style='color:#B3261E; background:#FDE0DD; padding:4px'><b>{escape(text)}</b>" \
               f"{escape(step.reason or '')}</p>"

    def _facts(self, item: SuggestionItem, contact) -> list[tuple[str, str]]:
        row = item.server
        deadline = escape(row.deadline.isoformat() if row.deadline else "")
        level = self._deadline_level(item)
        if level is not None:
            warning = self.tr("已超期") if level is Level.RED else self.tr("即将到期")
            deadline += f" <b style='color:{level_colour(level).name()}'>{escape(warning)}</b>"
        facts = [
            (self.tr("编号"), escape(row.number or "")), (self.tr("状态"), self._state_html(row.state)),
            (self.tr("提出人"), escape(row.author)),
            (self.tr("来源"), escape(self.tr("群众反映") if row.source == "constituents" else self.tr("本人提出"))),
            (self.tr("类别"), escape(row.category or "")),
            (self.tr("提交时间"), escape(format_minute(row.submitted_at))),
            (self.tr("承办部门"), escape(row.department or self.tr("尚未交办"))),
            (self.tr("办理期限"), deadline),
        ]
        if row.project or row.policy:
            facts.append((self.tr("关联"), escape(row.project or row.policy)))
        if contact is not None:
            facts.append((self.tr("群众"), escape(" ".join(filter(None, [contact.name, contact.phone])))))
        if row.rating:
            facts.append((self.tr("满意度"), _stars(row.rating)))
        return [(escape(label), value) for label, value in facts]

    def _server_html(self, item: SuggestionItem) -> str:
        row = item.server
        with self._context.replica.connect() as conn:
            history = suggestion_history(conn, row.suggestion_id)
            contact = suggestion_contact(conn, row.suggestion_id)
        parts = [f"<h3>{escape(row.title)}</h3>", self._step_html(item), _facts_table(self._facts(item, contact)),
                 f"<p>{_paragraphs(row.body)}</p>"]
        if row.decline_reason:
            reason = escape(self.tr("不予立案理由：")) + escape(row.decline_reason)
            parts.append(f"<p style='color:#B3261E'>{reason}</p>")
        parts.append(f"<h4>{escape(self.tr('办理经过'))}</h4>")
        parts.append(_facts_table([(escape(format_minute(event.at)), self._event_html(event)) for event in history]))
        return "".join(parts)

    def _event_html(self, event: SuggestionEvent) -> str:
        line = f"<b>{escape(action_text(event))}</b> · {escape(event.actor)}"
        if event.assigned_department:
            line += f" → {escape(event.assigned_department)}"
        if event.deadline:
            line += escape(self.tr("（期限 {date}）").format(date=event.deadline.isoformat()))
        if event.rating:
            line += " " + _stars(event.rating)
        return line + (f"<br>{_paragraphs(event.text)}" if event.text else "")

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

    # ------------------------------------------------------------ the loop's steps

    def take_step(self, key: str) -> StepDialog | None:
        """The selected suggestion's next step: a form where one is needed, else queued at once."""
        item = self.table.selected()
        if item is None or item.server is None or self._writer is None:
            return None
        if key == "dismiss":
            command, author = item.step.uuid, self._identity.username
            self._writer.submit("discard", lambda replica: discard_rejected(replica, command, author))
            return None
        if key == "accept":
            self._queue(steps.accept(item.suggestion_id))
            return None
        reply_event = str(uuid.uuid4()) if key == "reply" else None
        dialog = self._step_dialog(key, item, reply_event)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        attached = self._attach_to_reply(dialog, reply_event) if reply_event else None
        dialog.finished.connect(lambda result: self._step_done(result, dialog.chosen, attached))
        dialog.open()
        return dialog

    def _attach_to_reply(self, dialog: StepDialog, reply_event: str) -> Owner:
        """A reply may carry a letter: held until the reply is queued, then sent after it, on the reply's
        record (whose id the reply command names)."""
        owner = ("suggestion_event", reply_event)
        dialog.add_attachments(held_strip(self._writer, owner, dialog))
        return owner

    def _step_done(self, result: int, step: steps.Step | None, attached: Owner | None) -> None:
        if result == QDialog.DialogCode.Accepted:
            self._queue(step, attached)
        elif attached is not None:
            account = self._writer.account
            self._writer.submit("attachment", lambda replica: settle_held(replica, account, attached, None))

    def _step_dialog(self, key: str, item: SuggestionItem, reply_event: str | None = None) -> StepDialog:
        sid, heading = item.suggestion_id, f"{item.server.number or ''} {item.title}".strip()
        if key == "assign":
            with self._context.replica.connect() as conn:
                choices = sorted(department_names(conn).items(), key=lambda pair: pair[1])
            return AssignDialog(sid, heading, choices, self._server_date(), self)
        if key == "merge":
            candidates = [(i.suggestion_id, f"{i.server.number or ''} {i.title}".strip()) for i in self._items
                          if i.server and i.suggestion_id != sid and i.state != "merged"]
            return MergeDialog(sid, heading, candidates, self)
        if key == "feedback":
            return FeedbackDialog(sid, heading, self)
        if key == "reply":
            return TextStepDialog(self.tr("答复"), heading, self.tr("答复内容"),
                                  lambda text: steps.reply(sid, text, reply_event), self)
        return TextStepDialog(self.tr("不予立案"), heading, self.tr("理由"),
                              lambda text: steps.decline(sid, text), self)

    def _queue(self, step: steps.Step, attached: Owner | None = None) -> None:
        """Queue the step; files held for it (``attached``'s) go up after it."""
        author, account = self._identity.username, self._writer.account

        def queue(replica) -> str:
            command = steps.queue(replica, step, author)
            if attached is not None:
                settle_held(replica, account, attached, command)
            return command

        self._writer.submit("step", queue)

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

    def start_from(self, draft: SuggestionDraft) -> SuggestionEditor | None:
        """The editor on a prefilled draft (from a warning), saved at once so that closing keeps it."""
        if self._writer is None or self._identity is None:
            return None
        self._writer.submit("draft", lambda replica: save_draft(replica, draft))
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
            account = self._writer.account

            def delete(replica) -> None:
                delete_draft(replica, item.suggestion_id)
                settle_held(replica, account, ("suggestion", item.suggestion_id), None)  # its files go too

            self._writer.submit("draft", delete)
        elif item.state == "rejected":
            author = self._identity.username
            self._writer.submit("discard", lambda replica: discard_rejected(replica, item.command.uuid, author))


def _stars(rating: int) -> str:
    return f"<span style='color:#E07B00'>{'★' * rating}{'☆' * (5 - rating)}</span>"


def _paragraphs(text: str) -> str:
    return "<br>".join(escape(line) for line in text.splitlines())


def _facts_table(facts: list[tuple[str, str]]) -> str:
    rows = "".join(f"<tr><td style='color:#5A6573; padding-right:12px; white-space:nowrap'>{label}</td>"
                   f"<td>{value}</td></tr>" for label, value in facts)
    return f"<table cellspacing='0' cellpadding='3'>{rows}</table>"
