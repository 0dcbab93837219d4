import { useState } from 'react';
import { Button, Menu } from '@mantine/core';
import { api } from '../api/client';
import type { Service } from '@gatehouse/protocol';
import { ConfirmDialog } from '../components/ConfirmButton';
import { EditImplementationModal } from './EditImplementationModal';

interface Props {
  versionPath: string;
  /** The implementation's gateway service; undefined while there is none. */
  gatewayService: Service | undefined;
  onChanged: () => void;
  onVersionDeleted: () => void;
}

type Dialog = 'edit' | 'delete-implementation' | 'delete-version' | null;

/** The **Version actions** menu: edit or delete the implementation, delete the version. */
export function VersionActions({ versionPath, gatewayService, onChanged, onVersionDeleted }: Props) {
  const [dialog, setDialog] = useState<Dialog>(null);
  const close = () => setDialog(null);
  return (
    <>
      <Menu position="bottom-end" withinPortal>
        <Menu.Target>
          <Button variant="default">Version actions</Button>
        </Menu.Target>
        <Menu.Dropdown>
          <Menu.Item disabled={!gatewayService} onClick={() => setDialog('edit')}>
            Edit implementation
          </Menu.Item>
          <Menu.Item disabled={!gatewayService} onClick={() => setDialog('delete-implementation')}>
            Delete implementation
          </Menu.Item>
          <Menu.Divider />
          <Menu.Item color="red" onClick={() => setDialog('delete-version')}>
            Delete version
          </Menu.Item>
        </Menu.Dropdown>
      </Menu>
      {gatewayService && (
        <EditImplementationModal opened={dialog === 'edit'} versionPath={versionPath} service={gatewayService} onClose={close} onSaved={onChanged} />
      )}
      <ConfirmDialog
        opened={dialog === 'delete-implementation'}
        title="Delete implementation"
        question="Delete this version's implementation? Its gateway service and routes are removed from the runtime group."
        onClose={close}
        onConfirm={async () => {
          await api(`${versionPath}/implementation`, { method: 'DELETE' });
          onChanged();
        }}
      />
      <ConfirmDialog
        opened={dialog === 'delete-version'}
        title="Delete version"
        question="Delete this version? Its implementation, if any, goes with it."
        onClose={close}
        onConfirm={async () => {
          await api(versionPath, { method: 'DELETE' });
          onVersionDeleted();
        }}
      />
    </>
  );
}
